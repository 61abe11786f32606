package io.riptide.serving;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Inflates the gzip of a published model artifact without trusting it: a gzip can inflate to thousands of times
 * its size (a zip bomb), and its publication's declared size is as untrusted as the gzip itself.
 *
 * <p>In order: the declared size must be within the hard cap; the gzip must be large enough to be a gzip and no
 * larger than any output of the declared size can compress to; then it is inflated into one array of exactly the
 * declared size, so that nothing the gzip says can make this allocate more than that; inflating past it is refused
 * as soon as the first extra byte appears, and output shorter than declared is refused at the end of the stream.
 * A corrupt stream (bad header, CRC or length trailer, cut short) is refused with the inflater's reason. Bytes after
 * the last gzip member are ignored, as {@link GZIPInputStream} ignores them; the artifact's sha256, checked by
 * {@link ModelLoader}, covers the inflated bytes.
 *
 * <p>For {@code topology/LiveModels.artifactBytes}: {@code BoundedGunzip.gunzip(gzip, version.getArtifactBytes())}.
 */
public final class BoundedGunzip {

    /**
     * The default hard cap on an inflated artifact, 64 MiB: models here are one or two MB (the 300-tree bench models
     * are 1.0 MB of LightGBM text and 1.9 MB of XGBoost JSON, the demo's smaller), so this leaves over 30 times
     * that, and bounds what one publication can make each consumer allocate. {@link ModelLoader} refuses larger
     * artifacts too.
     */
    public static final int DEFAULT_MAX_BYTES = 64 << 20;

    /** The largest array a JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** A gzip member is at least a 10-byte header, a 2-byte empty deflate block and an 8-byte trailer. */
    private static final int MIN_GZIP_BYTES = 20;

    private BoundedGunzip() {
    }

    /** {@link #gunzip(byte[], long, long)} with the {@link #DEFAULT_MAX_BYTES} cap. */
    public static byte[] gunzip(byte[] gzip, long declaredBytes) throws ModelRejectedException {
        return gunzip(gzip, declaredBytes, DEFAULT_MAX_BYTES);
    }

    /**
     * The bytes {@code gzip} inflates to, exactly {@code declaredBytes} of them.
     *
     * @param gzip          the compressed artifact, as published
     * @param declaredBytes the size its publication declares for the inflated artifact
     * @param hardMaxBytes  the most this may allocate for the output, whatever is declared
     * @throws ModelRejectedException   naming what is wrong: a declared size that is negative or over the cap, a
     *                                  gzip too small or too large for the declared size, output longer or shorter
     *                                  than declared, a corrupt stream
     * @throws IllegalArgumentException when {@code hardMaxBytes} is not in 0 .. 2^31 - 9 (the caller's error)
     */
    public static byte[] gunzip(byte[] gzip, long declaredBytes, long hardMaxBytes) throws ModelRejectedException {
        if (hardMaxBytes < 0 || hardMaxBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("hardMaxBytes is " + hardMaxBytes + ", expected 0.." + MAX_ARRAY);
        }
        if (gzip == null) {
            throw new ModelRejectedException("artifact gzip is missing");
        }
        if (declaredBytes < 0) {
            throw new ModelRejectedException("artifact declares " + declaredBytes + " bytes");
        }
        if (declaredBytes > hardMaxBytes) {
            throw new ModelRejectedException("artifact declares " + declaredBytes + " bytes, over the " + hardMaxBytes
                    + " bytes allowed");
        }
        int size = (int) declaredBytes;
        if (gzip.length < MIN_GZIP_BYTES) {
            throw new ModelRejectedException("artifact gzip is " + gzip.length + " bytes, too short to be gzip");
        }
        if (gzip.length > maxCompressedBytes(size)) {
            throw new ModelRejectedException("artifact gzip is " + gzip.length + " bytes, more than " + size
                    + " bytes can compress to");
        }
        byte[] out = new byte[size];
        int n = 0;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 1 << 16)) {
            while (n < size) {
                int read = in.read(out, n, size - n);
                if (read < 0) {
                    throw new ModelRejectedException("artifact gzip inflates to " + n + " bytes, its publication"
                            + " declares " + size);
                }
                n += read;
            }
            if (in.read() >= 0) {
                throw new ModelRejectedException("artifact gzip inflates past the " + size + " bytes its publication"
                        + " declares");
            }
        } catch (IOException e) {
            throw new ModelRejectedException("artifact gzip does not inflate after " + n + " bytes: " + e.getMessage(),
                    e);
        }
        return out;
    }

    /**
     * The most a gzip of {@code size} bytes can take: deflate's stored blocks add 5 bytes per 64 KiB (so at most
     * one byte per KiB here), the gzip frame 18 bytes, and 4 KiB more covers a header's optional name and comment.
     */
    private static long maxCompressedBytes(int size) {
        return size + size / 1024L + 4096;
    }
}
