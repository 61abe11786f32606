package io.riptide.serving.internal;

/** Heap bytes of primitive arrays on a 64-bit JVM with compressed oops (16-byte header, 8-byte alignment). */
final class ArraySizes {

    private ArraySizes() {
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    static long of(int[] a) {
        return align(16 + 4L * a.length);
    }

    static long of(float[] a) {
        return align(16 + 4L * a.length);
    }

    static long of(long[] a) {
        return align(16 + 8L * a.length);
    }

    static long of(double[] a) {
        return align(16 + 8L * a.length);
    }

    static long of(byte[] a) {
        return align(16 + a.length);
    }

    static long of(boolean[] a) {
        return align(16 + a.length);
    }
}
