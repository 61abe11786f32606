package io.riptide.serving.internal;

/** A growable int array, for building flat model arrays while parsing. */
final class IntList {
    int[] a = new int[64];
    int n;

    void add(int v) {
        if (n == a.length) {
            a = java.util.Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    int get(int i) {
        return a[i];
    }

    int size() {
        return n;
    }

    int[] toArray() {
        return java.util.Arrays.copyOf(a, n);
    }
}
