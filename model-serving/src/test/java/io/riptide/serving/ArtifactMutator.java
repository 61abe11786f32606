package io.riptide.serving;

import java.util.List;
import java.util.SplittableRandom;

/** Makes mutants of one real model artifact for {@link ModelArtifactFuzzTest}, from a seeded random source. */
interface ArtifactMutator {

    /** A mutated artifact: what was done ({@code operator}, counted together), the details, the bytes. */
    record Mutant(String operator, String detail, byte[] bytes) {
    }

    Mutant mutate(SplittableRandom r);

    static byte[] flipBytes(byte[] bytes, SplittableRandom r) {
        byte[] out = bytes.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = r.nextInt(out.length);
            out[at] = r.nextBoolean() ? (byte) (out[at] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
        }
        return out;
    }

    static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }
}
