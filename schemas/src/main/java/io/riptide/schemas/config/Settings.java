package io.riptide.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Raw configuration of one service: a properties file overridden by {@code RIPTIDE_*} environment variables
 * (key {@code kafka.bootstrap.servers} is overridden by {@code RIPTIDE_KAFKA_BOOTSTRAP_SERVERS}), then by explicit
 * overrides (CLI options). Typed getters validate and fail with a message that names the key and its source, so each
 * service's typed config object is checked once, at start-up.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> sources;

    private Settings(Map<String, String> values, Map<String, String> sources) {
        this.values = values;
        this.sources = sources;
    }

    /** Settings from environment variables only. */
    public static Settings fromEnvironment() {
        return load(null, System.getenv(), Map.of());
    }

    /**
     * @param propertiesFile optional file; a missing or unreadable file is a {@link ConfigException}
     * @param environment    usually {@code System.getenv()}
     * @param overrides      highest precedence, e.g. from command-line options
     */
    public static Settings load(Path propertiesFile, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        if (propertiesFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(propertiesFile)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + propertiesFile + ": " + e.getMessage());
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key).trim());
                sources.put(key, "file " + propertiesFile.getFileName());
            }
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("RIPTIDE_")) {
                String key = keyOfEnvironmentVariable(e.getKey());
                values.put(key, e.getValue().trim());
                sources.put(key, "env " + e.getKey());
            }
        }
        overrides.forEach((k, v) -> {
            values.put(k, v);
            sources.put(k, "option");
        });
        return new Settings(values, sources);
    }

    /** {@code kafka.bootstrap.servers} -> {@code RIPTIDE_KAFKA_BOOTSTRAP_SERVERS}. */
    public static String environmentVariableOf(String key) {
        return "RIPTIDE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String keyOfEnvironmentVariable(String variable) {
        return variable.substring("RIPTIDE_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Lookup that also accepts keys whose environment form maps '-' to '_' (e.g. num-threads). */
    private String raw(String key) {
        String value = values.get(key);
        if (value == null) {
            value = values.get(key.replace('-', '.'));
        }
        return value == null || value.isEmpty() ? null : value;
    }

    private String describe(String key) {
        String source = sources.getOrDefault(key, sources.get(key.replace('-', '.')));
        return key + (source == null ? "" : " (from " + source + ")");
    }

    public String string(String key, String defaultValue) {
        String value = raw(key);
        return value == null ? defaultValue : value;
    }

    public String requiredString(String key) {
        String value = raw(key);
        if (value == null) {
            throw new ConfigException("missing required setting " + key + " (set it in the properties file or as "
                    + environmentVariableOf(key) + ")");
        }
        return value;
    }

    public int intValue(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        String value = raw(key);
        long parsed;
        if (value == null) {
            parsed = defaultValue;
        } else {
            try {
                parsed = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ConfigException("invalid value '" + value + "' for " + describe(key) + ": expected an integer");
            }
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException("invalid value " + parsed + " for " + describe(key) + ": must be between "
                    + min + " and " + max);
        }
        return parsed;
    }

    public double doubleValue(String key, double defaultValue, double min, double max) {
        String value = raw(key);
        double parsed;
        if (value == null) {
            parsed = defaultValue;
        } else {
            try {
                parsed = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new ConfigException("invalid value '" + value + "' for " + describe(key) + ": expected a number");
            }
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new ConfigException("invalid value " + parsed + " for " + describe(key) + ": must be between "
                    + min + " and " + max);
        }
        return parsed;
    }

    public boolean booleanValue(String key, boolean defaultValue) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException("invalid value '" + value + "' for " + describe(key)
                    + ": expected true or false");
        };
    }

    /** One of {@code allowed} (case-insensitive), returned as spelt in {@code allowed}. */
    public String choice(String key, String defaultValue, List<String> allowed) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        for (String option : allowed) {
            if (option.equalsIgnoreCase(value.trim())) {
                return option;
            }
        }
        throw new ConfigException("invalid value '" + value + "' for " + describe(key) + ": expected one of "
                + String.join(", ", allowed));
    }

    /** Comma-separated positive integers, e.g. {@code 5,15,30,60}. */
    public List<Integer> intList(String key, List<Integer> defaultValue, int min, int max) {
        String value = raw(key);
        if (value == null) {
            return defaultValue;
        }
        List<Integer> result = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                int parsed = Integer.parseInt(part.trim());
                if (parsed < min || parsed > max) {
                    throw new NumberFormatException();
                }
                result.add(parsed);
            } catch (NumberFormatException e) {
                throw new ConfigException("invalid value '" + value + "' for " + describe(key)
                        + ": expected comma-separated integers between " + min + " and " + max);
            }
        }
        return List.copyOf(result);
    }

    /** Every setting under a prefix, prefix removed: {@code kafka.extra.security.protocol} -> {@code security.protocol}. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
