package io.riptide.serving.internal;

/** A growable double array, for building flat model arrays while parsing. */
final class DoubleList {
    double[] a = new double[64];
    int n;

    void add(double v) {
        if (n == a.length) {
            a = java.util.Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    int size() {
        return n;
    }

    double[] toArray() {
        return java.util.Arrays.copyOf(a, n);
    }
}
