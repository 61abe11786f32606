package io.riptide.app.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceBenchCommandTest {

    private static final Pattern RESULT = Pattern.compile("RESULT java_ns=(\\d+) lgbm_single_ns=(\\d+) "
            + "xgb_single_ns=(\\d+) speedup_vs_lgbm=([0-9.]+) speedup_vs_xgb=([0-9.]+) "
            + "max_abs_diff_lgbm=(\\S+) max_abs_diff_xgb=(\\S+)");

    @Test
    void smallRunEndsWithTheResultLineAndIdenticalOutputs() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new InferenceBenchCommand(out)).execute("--trees", "20", "--features", "10",
                "--train-rows", "2000", "--check-rows", "2000", "--batch", "64", "--seconds", "0.05");
        assertEquals(0, code);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
        String last = lines[lines.length - 1];
        Matcher m = RESULT.matcher(last);
        assertTrue(m.matches(), "last line: " + last);
        assertTrue(Long.parseLong(m.group(1)) > 0);
        assertTrue(Double.parseDouble(m.group(6)) <= 1e-12, "lgbm diff " + m.group(6));
        assertTrue(Double.parseDouble(m.group(7)) <= 1e-6, "xgb diff " + m.group(7));
    }

    @Test
    void rejectsNonPositiveSizes() {
        int code = new CommandLine(new InferenceBenchCommand(new PrintStream(new ByteArrayOutputStream())))
                .execute("--trees", "0");
        assertTrue(code != 0);
    }
}
