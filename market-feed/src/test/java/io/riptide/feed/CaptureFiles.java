package io.riptide.feed;

import io.riptide.schemas.avro.BookSnapshot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing gzip capture files, and checks every emitted book must pass. */
public final class CaptureFiles {
    private CaptureFiles() {
    }

    public static List<String> readAll(Path gz) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }

    public static void writeGzip(Path file, List<String> lines) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
             Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
    }

    /** Top-20 on both sides, uncrossed, at most one book per interval of event time. */
    public static void assertBooksValid(List<BookSnapshot> books, long intervalMs) {
        assertTrue(books.size() > 10, "books " + books.size());
        long previous = Long.MIN_VALUE;
        for (BookSnapshot b : books) {
            assertEquals(20, b.getBids().size());
            assertEquals(20, b.getAsks().size());
            assertTrue(b.getBids().get(0).getPrice() < b.getAsks().get(0).getPrice(), "crossed " + b);
            assertTrue(previous == Long.MIN_VALUE || b.getExchangeTimeMs() / intervalMs > previous / intervalMs,
                    "at most one book per interval");
            previous = b.getExchangeTimeMs();
        }
    }
}
