package io.riptide.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's machine-readable result, written as summary.json. */
record DemoSummary(Map<String, String> runtime, Map<String, Long> inputs, Map<String, Long> outputs,
                   Map<String, Integer> jobs, List<Map<String, Object>> models, List<Map<String, Object>> swaps,
                   Map<String, Long> predictionsByVersion, Map<String, Object> run) {

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runtime", runtime);
        json.put("inputs", inputs);
        json.put("outputs", outputs);
        json.put("jobs", jobs);
        json.put("models", models);
        json.put("swaps", swaps);
        json.put("predictionsByVersion", predictionsByVersion);
        json.put("run", run);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }
}
