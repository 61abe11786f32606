package io.riptide.app.backtest;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChildServiceTest {

    @Test
    void readsUntaggedSamplesOfAPrometheusPage() {
        String page = String.join("\n",
                "# HELP riptide_stream_restore_records_total changelog records restored",
                "# TYPE riptide_stream_restore_records_total counter",
                "riptide_stream_restore_records_total 2482.0",
                "riptide_stream_restore_seconds 0.25",
                "riptide_stream_state{state=\"RUNNING\"} 1.0",
                "not a sample");
        assertEquals(Map.of("riptide_stream_restore_records_total", 2482.0, "riptide_stream_restore_seconds", 0.25),
                ChildService.metrics(page));
    }
}
