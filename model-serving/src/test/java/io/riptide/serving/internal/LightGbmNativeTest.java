package io.riptide.serving.internal;

import com.microsoft.ml.lightgbm.lightgbmlib;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LightGbmNativeTest {

    @Test
    void loadsOnceFromManyThreadsAndTheCApiAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<Integer>) () -> {
                    LightGbmNative.ensureLoaded();
                    var p = lightgbmlib.new_doubleArray(2);
                    lightgbmlib.doubleArray_setitem(p, 1, 42.5);
                    double v = lightgbmlib.doubleArray_getitem(p, 1);
                    lightgbmlib.delete_doubleArray(p);
                    return (int) (v * 2);
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(85, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void nativeErrorsCarryLightGbmsMessage() {
        LightGbmNative.ensureLoaded();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeLightGbmModel.fromString("garbage"));
        assertTrue(e.getMessage().startsWith("LightGBM LGBM_BoosterLoadModelFromString failed"), e.getMessage());
    }
}
