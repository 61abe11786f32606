package io.riptide.serving;

import io.riptide.serving.training.LightGbmTrainer;
import io.riptide.serving.training.TrainingParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounded gunzip on a real artifact, a real 3 GiB gzip bomb, cut and corrupt streams and declared sizes that lie. */
class BoundedGunzipTest {

    private static final long BOMB_BYTES = 3L << 30;
    private static byte[] artifact;
    private static byte[] gzip;

    @BeforeAll
    static void artifact() throws IOException {
        artifact = new LightGbmTrainer().train(SyntheticData.dataset(2_000, 5, 1), null,
                TrainingParams.defaults().withNumRounds(20)).artifact().bytes();
        gzip = gzip(artifact);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /**
     * 3 GiB of zeros as one gzip member, about 3 MB: each MiB is deflated with a full flush, which resets the
     * dictionary and ends on a byte boundary, so every MiB compresses to the same bytes and the stream is built from
     * one MiB's deflate output repeated instead of deflating 3 GiB (seconds).
     */
    private static byte[] gzipBomb() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] mib = new byte[1 << 20];
        byte[] first = flushed(deflater, mib);
        byte[] second = flushed(deflater, mib);
        assertArrayEquals(first, second, "every flushed MiB deflates to the same bytes");
        byte[] end = finished(deflater);
        int copies = (int) (BOMB_BYTES >> 20);
        CRC32 crc = new CRC32();
        for (int i = 0; i < copies; i++) {
            crc.update(mib);
        }
        ByteBuffer bomb = ByteBuffer.allocate(10 + copies * first.length + end.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        bomb.put(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        for (int i = 0; i < copies; i++) {
            bomb.put(first);
        }
        bomb.put(end).putInt((int) crc.getValue()).putInt((int) BOMB_BYTES);
        return bomb.array();
    }

    private static byte[] flushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        return out.toByteArray();
    }

    private static byte[] finished(Deflater deflater) {
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void inflatesARealArtifactToItsDeclaredSize() throws Exception {
        assertArrayEquals(artifact, BoundedGunzip.gunzip(gzip, artifact.length));
        assertArrayEquals(new byte[0], BoundedGunzip.gunzip(gzip(new byte[0]), 0));
    }

    @Test
    void stopsAGzipBombAtTheCapWithoutAllocatingMore() throws Exception {
        byte[] bomb = gzipBomb();
        assertTrue(bomb.length < 4_000_000, "the bomb is " + bomb.length + " bytes");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bomb))) {
            in.skipNBytes(256L << 20);
            assertTrue(in.read() >= 0, "a plain gunzip inflates it past 256 MiB");
        }

        ModelRejectedException declaredTooBig = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(bomb, BOMB_BYTES));
        assertEquals("artifact declares 3221225472 bytes, over the 67108864 bytes allowed", declaredTooBig.getMessage());

        long before = allocatedByThisThread();
        ModelRejectedException lying = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(bomb, BoundedGunzip.DEFAULT_MAX_BYTES));
        long allocated = allocatedByThisThread() - before;
        assertEquals("artifact gzip inflates past the 67108864 bytes its publication declares", lying.getMessage());
        assertTrue(allocated < BoundedGunzip.DEFAULT_MAX_BYTES + (2 << 20), "allocated " + allocated + " bytes");

        ModelRejectedException small = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(bomb, 10_000_000, 1 << 20));
        assertEquals("artifact declares 10000000 bytes, over the 1048576 bytes allowed", small.getMessage());
    }

    @Test
    void refusesADeclaredSizeThatDoesNotMatch() {
        ModelRejectedException shorter = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(gzip, artifact.length + 1));
        assertEquals("artifact gzip inflates to " + artifact.length + " bytes, its publication declares "
                + (artifact.length + 1), shorter.getMessage());
        ModelRejectedException longer = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(gzip, artifact.length - 1));
        assertTrue(longer.getMessage().startsWith("artifact gzip inflates past the"), longer.getMessage());
        assertThrows(ModelRejectedException.class, () -> BoundedGunzip.gunzip(gzip, -1));
        assertTrue(gzip.length > 5_000, "the artifact's gzip is " + gzip.length + " bytes");
        ModelRejectedException tiny = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(gzip, 100));
        assertTrue(tiny.getMessage().contains("more than 100 bytes can compress to"), tiny.getMessage());
    }

    @Test
    void refusesCutAndCorruptStreams() {
        byte[] cut = Arrays.copyOf(gzip, gzip.length / 2);
        ModelRejectedException e = assertThrows(ModelRejectedException.class,
                () -> BoundedGunzip.gunzip(cut, artifact.length));
        assertTrue(e.getMessage().startsWith("artifact gzip does not inflate after"), e.getMessage());
        byte[] badCrc = gzip.clone();
        badCrc[badCrc.length - 6] ^= 1;
        e = assertThrows(ModelRejectedException.class, () -> BoundedGunzip.gunzip(badCrc, artifact.length));
        assertTrue(e.getMessage().contains("Corrupt GZIP trailer"), e.getMessage());
        byte[] notGzip = artifact.clone();
        e = assertThrows(ModelRejectedException.class, () -> BoundedGunzip.gunzip(notGzip, artifact.length));
        assertTrue(e.getMessage().contains("Not in GZIP format"), e.getMessage());
        assertThrows(ModelRejectedException.class, () -> BoundedGunzip.gunzip(new byte[5], 10));
        assertThrows(ModelRejectedException.class, () -> BoundedGunzip.gunzip(null, 10));
        assertThrows(IllegalArgumentException.class, () -> BoundedGunzip.gunzip(gzip, 10, -1));
    }
}
