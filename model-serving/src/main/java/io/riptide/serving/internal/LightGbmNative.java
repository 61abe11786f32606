package io.riptide.serving.internal;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads LightGBM's native libraries, which ship inside the lightgbmlib jar, exactly once per JVM.
 *
 * <p>The jar has no loader of its own: the libraries are extracted to a private temp directory and
 * {@link System#load}ed, {@code lib_lightgbm} first because {@code lib_lightgbm_swig} links against it.
 */
public final class LightGbmNative {

    private static final String[] LIBRARIES = {"lib_lightgbm", "lib_lightgbm_swig"};
    private static volatile boolean loaded;
    private static volatile RuntimeException failure;

    private LightGbmNative() {
    }

    /** Loads the libraries if this JVM has not yet; throws a clear {@link IllegalStateException} when it cannot. */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (LightGbmNative.class) {
            if (loaded) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                String platform = platformDirectory();
                String suffix = platform.startsWith("windows") ? ".dll" : platform.startsWith("osx") ? ".dylib" : ".so";
                Path dir = Files.createTempDirectory("riptide-lightgbm-");
                dir.toFile().deleteOnExit();
                for (String name : LIBRARIES) {
                    String resource = "/com/microsoft/ml/lightgbm/" + platform + "/" + name + suffix;
                    Path target = dir.resolve(name + suffix);
                    try (InputStream in = LightGbmNative.class.getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new IllegalStateException("LightGBM native library " + resource
                                    + " is not on the class path (is lightgbmlib " + "a dependency?)");
                        }
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    target.toFile().deleteOnExit();
                    System.load(target.toAbsolutePath().toString());
                }
                loaded = true;
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                failure = new IllegalStateException("cannot load LightGBM native libraries: " + e.getMessage(), e);
                throw failure;
            }
        }
    }

    private static String platformDirectory() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "").toLowerCase();
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new IllegalStateException("lightgbmlib ships natives for x86_64 only, this JVM runs on " + arch);
        }
        if (os.contains("linux")) {
            return "linux/x86_64";
        }
        if (os.contains("mac")) {
            return "osx/x86_64";
        }
        if (os.contains("windows")) {
            return "windows/x86_64";
        }
        throw new IllegalStateException("lightgbmlib ships no natives for operating system " + os);
    }

    /** Throws with LightGBM's last error message when a C API call returned non-zero. */
    public static void check(int rc, String call) {
        if (rc != 0) {
            throw new IllegalStateException("LightGBM " + call + " failed: " + lightgbmlib.LGBM_GetLastError());
        }
    }

    /** Copies a Java array into a freshly allocated native double array; the caller frees it. */
    public static SWIGTYPE_p_double toNative(double[] values, int from, int length) {
        SWIGTYPE_p_double ptr = lightgbmlib.new_doubleArray(length);
        for (int i = 0; i < length; i++) {
            lightgbmlib.doubleArray_setitem(ptr, i, values[from + i]);
        }
        return ptr;
    }

    /** Copies a Java array into a freshly allocated native float array; the caller frees it. */
    public static SWIGTYPE_p_float toNativeFloat(double[] values) {
        SWIGTYPE_p_float ptr = lightgbmlib.new_floatArray(values.length);
        for (int i = 0; i < values.length; i++) {
            lightgbmlib.floatArray_setitem(ptr, i, (float) values[i]);
        }
        return ptr;
    }

    public static SWIGTYPE_p_void voidPtr(SWIGTYPE_p_double ptr) {
        return lightgbmlib.double_to_voidp_ptr(ptr);
    }
}
