package io.riptide.schemas.serde;

import io.riptide.schemas.topics.Topics;
import org.apache.avro.SystemLimitException;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Avro's own global decode limits: the longest string, the longest bytes value and the most collection items a
 * decode may declare ({@link SystemLimitException}). Avro's defaults are about 2 GiB each, so one hostile record could
 * make it allocate gigabytes. Ours are {@link #MAX_LENGTH}: Riptide never writes a record larger than
 * {@link Topics#MODEL_VERSIONS_MAX_MESSAGE_BYTES} (every producer's {@code max.request.size}), and no string, bytes
 * value or collection of non-empty items can be larger than the record that holds it.
 *
 * <p>Avro reads the three system properties once, in {@code SystemLimitException}'s static initializer, the first
 * time any Avro decoder checks a length. {@link #install()} therefore runs from the static initializers of
 * {@link AvroWireDeserializer} (every Riptide decode goes through one) and {@code KafkaClientFactory} (every client
 * Riptide starts), so it runs before Riptide decodes anything. A property the operator set (e.g.
 * {@code -Dorg.apache.avro.limits.string.maxLength=...}) is kept. Should something have made Avro read the properties
 * earlier, {@link #install()} has Avro read them again, or, if this Avro version does not allow that, logs a warning.
 *
 * <p>These limits are a second line of defence: {@link BoundedDecoder} already refuses any declared length larger
 * than what remains of the record, whatever the limits are.
 */
public final class AvroLimits {
    /** The limit for strings, bytes values and collection items in one record, unless the operator set another. */
    public static final int MAX_LENGTH = Topics.MODEL_VERSIONS_MAX_MESSAGE_BYTES;

    static final List<String> PROPERTIES = List.of(
            SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
            SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
            SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY);

    private static final System.Logger LOG = System.getLogger(AvroLimits.class.getName());
    private static boolean installed;

    private AvroLimits() {
    }

    /** Sets the limits not set by the operator and makes sure Avro uses them. Idempotent and cheap after the first call. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        setDefaults(System.getProperties());
        if (!inForce()) {
            reloadAvro();
        }
    }

    /**
     * The limits as configured now, by property name (what {@link #install()} set, or the operator's values).
     * Avro parses them with {@link Integer#parseUnsignedInt}; one it cannot parse is shown as it is.
     */
    public static Map<String, String> configured() {
        Map<String, String> result = new LinkedHashMap<>();
        for (String property : PROPERTIES) {
            result.put(property, System.getProperty(property));
        }
        return result;
    }

    /** The collection-item limit in force for {@link BoundedDecoder}'s own count of items in one record. */
    static int maxCollectionItems() {
        return parsedOr(System.getProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY), MAX_LENGTH);
    }

    /** Puts our value under every limit property that has none; returns the properties it set. */
    static List<String> setDefaults(Properties properties) {
        String value = Integer.toString(MAX_LENGTH);
        return PROPERTIES.stream().filter(p -> properties.putIfAbsent(p, value) == null).toList();
    }

    /** Whether Avro enforces the configured string, bytes and collection limits (it may have read them before we set them). */
    static boolean inForce() {
        return enforces(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, SystemLimitException::checkMaxStringLength)
                && enforces(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, SystemLimitException::checkMaxBytesLength)
                && enforces(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
                        SystemLimitException::checkMaxCollectionLength);
    }

    private interface Check {
        int apply(long length);
    }

    private static boolean enforces(String property, Check check) {
        int limit = parsedOr(System.getProperty(property), Integer.MAX_VALUE);
        try {
            check.apply(limit + 1L);
            return false;
        } catch (SystemLimitException e) {
            return true;
        } catch (UnsupportedOperationException e) {
            // beyond what a Java array can hold: Avro's own hard cap, the same as no configured limit
            return true;
        }
    }

    private static int parsedOr(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseUnsignedInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void reloadAvro() {
        try {
            // package-private in Avro 1.11.3 to 1.12.x: re-reads the three properties
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Avro read its decode limits before Riptide set them and cannot be "
                    + "made to read them again (" + e + "); Avro's own limits stay as they were, Riptide's bound of "
                    + "every declared length by the record's remaining bytes still applies");
            return;
        }
        if (!inForce()) {
            LOG.log(System.Logger.Level.WARNING, "Avro does not enforce the configured decode limits " + configured()
                    + "; Riptide's bound of every declared length by the record's remaining bytes still applies");
        }
    }
}
