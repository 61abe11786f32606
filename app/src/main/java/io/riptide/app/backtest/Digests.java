package io.riptide.app.backtest;

import io.riptide.schemas.avro.FeatureVector;
import io.riptide.schemas.avro.LabeledExample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fingerprints of what an arm computed from the market alone: its feature vectors and its training examples
 * (labels). Every arm sees the same market, so these must be equal across arms and across runs of the same input;
 * the backtest's determinism test compares them.
 */
final class Digests {
    private Digests() {
    }

    static Map<String, Object> of(List<FeatureVector> features, List<LabeledExample> examples) {
        List<String> f = new ArrayList<>();
        for (FeatureVector v : features) {
            StringBuilder b = new StringBuilder(v.getInstrument()).append('|').append(v.getTimeMs());
            v.getValues().forEach(x -> b.append('|').append(Double.doubleToLongBits(x)));
            f.add(b.toString());
        }
        List<String> e = new ArrayList<>();
        for (LabeledExample x : examples) {
            e.add(x.getExampleId() + "|" + x.getLabel() + "|" + Double.doubleToLongBits(x.getRealizedValue()));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("features", features.size());
        d.put("features_sha256", sha256(f));
        d.put("examples", examples.size());
        d.put("examples_sha256", sha256(e));
        return d;
    }

    private static String sha256(List<String> rows) {
        List<String> sorted = new ArrayList<>(rows);
        sorted.sort(null);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String row : sorted) {
                digest.update(row.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
