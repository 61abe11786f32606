package io.riptide.features.internal;

/** Fixed-capacity ring of doubles; {@code get(0)} is the newest value. Allocation-free after construction. */
public final class Ring implements Stateful {
    private final double[] values;
    private int next;
    private int size;

    public Ring(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("ring capacity must be >= 1, got " + capacity);
        values = new double[capacity];
    }

    /** Adds a value and returns the one it evicted (NaN while not yet full). */
    public double push(double v) {
        double evicted = size == values.length ? values[next] : Double.NaN;
        values[next] = v;
        next = (next + 1) % values.length;
        if (size < values.length) size++;
        return evicted;
    }

    /** Value {@code ago} steps back (0 = newest). */
    public double get(int ago) {
        if (ago < 0 || ago >= size) throw new IndexOutOfBoundsException("ago " + ago + " of " + size);
        int i = next - 1 - ago;
        if (i < 0) i += values.length;
        return values[i];
    }

    /** Oldest value held. */
    public double oldest() { return get(size - 1); }

    public int size() { return size; }

    public int capacity() { return values.length; }

    public boolean isFull() { return size == values.length; }

    @Override
    public void write(StateWriter w) {
        w.putDoubles(values).putInt(next).putInt(size);
    }

    @Override
    public void read(StateReader r) {
        r.getDoubles(values); next = r.getInt(); size = r.getInt();
        if (next < 0 || next >= values.length || size < 0 || size > values.length) throw new IllegalArgumentException("snapshot is corrupt: ring position");
    }
}
