package io.riptide.feed.binance.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns Binance JSON (combined-stream wrapper {@code {"stream": ..., "data": ...}}, or a bare REST depth snapshot)
 * into {@link BinanceMessage}s. Malformed input raises {@link IllegalArgumentException} with a one-line reason.
 */
public final class BinanceMessageParser {

    private final ObjectMapper mapper = new ObjectMapper();

    public BinanceMessage parse(String json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode stream = root.get("stream");
        if (stream == null) {
            if (root.has("lastUpdateId")) {
                return new BinanceMessage.Snapshot(snapshot(root));
            }
            return new BinanceMessage.Ignored(root.has("result") ? "subscription response" : "message without stream");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("stream " + stream.asText() + " without a data object");
        }
        String name = stream.asText();
        int at = name.indexOf('@');
        String kind = at < 0 ? name : name.substring(at + 1);
        if (kind.startsWith("depth")) {
            return new BinanceMessage.Depth(depth(data));
        } else if (kind.equals("bookTicker")) {
            return new BinanceMessage.Ticker(new BookTicker(text(data, "s"), number(data, "u"), text(data, "b"),
                    text(data, "B"), text(data, "a"), text(data, "A")));
        } else if (kind.equals("trade")) {
            return new BinanceMessage.TradeEvent(text(data, "s"), number(data, "t"), text(data, "p"), text(data, "q"),
                    number(data, "T"), bool(data, "m"));
        } else if (kind.equals("forceOrder")) {
            JsonNode o = data.get("o");
            if (o == null || !o.isObject()) {
                throw new IllegalArgumentException("forceOrder without an 'o' object");
            }
            double avgPrice = decimal(o, "ap");
            double price = avgPrice > 0 ? avgPrice : decimal(o, "p");
            double filled = o.has("z") ? decimal(o, "z") : 0;
            double qty = filled > 0 ? filled : decimal(o, "q");
            return new BinanceMessage.ForceOrder(text(o, "s"), text(o, "S"), price, qty, number(o, "T"));
        }
        return new BinanceMessage.Ignored("stream " + name);
    }

    /** Parses a REST depth snapshot body. */
    public DepthSnapshot parseSnapshot(String json) {
        try {
            JsonNode root = mapper.readTree(json);
            if (root == null || !root.isObject() || !root.has("lastUpdateId")) {
                throw new IllegalArgumentException("depth snapshot without lastUpdateId");
            }
            return snapshot(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("depth snapshot is not JSON: " + e.getOriginalMessage());
        }
    }

    private static DepthSnapshot snapshot(JsonNode root) {
        return new DepthSnapshot(number(root, "lastUpdateId"), levels(root, "bids"), levels(root, "asks"));
    }

    private static DepthUpdate depth(JsonNode d) {
        long pu = d.has("pu") ? number(d, "pu") : -1;
        long firstId = number(d, "U");
        long finalId = number(d, "u");
        if (finalId < firstId) {
            throw new IllegalArgumentException("depth update with u=" + finalId + " < U=" + firstId);
        }
        return new DepthUpdate(text(d, "s"), number(d, "E"), firstId, finalId, pu, levels(d, "b"), levels(d, "a"));
    }

    private static List<String[]> levels(JsonNode node, String field) {
        JsonNode array = node.get(field);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("missing level array '" + field + "'");
        }
        List<String[]> out = new ArrayList<>(array.size());
        for (JsonNode level : array) {
            if (!level.isArray() || level.size() < 2 || !level.get(0).isTextual() || !level.get(1).isTextual()) {
                throw new IllegalArgumentException("bad level in '" + field + "': " + level);
            }
            String price = level.get(0).asText();
            String qty = level.get(1).asText();
            checkDecimal(price, field);
            checkDecimal(qty, field);
            out.add(new String[]{price, qty});
        }
        return out;
    }

    private static void checkDecimal(String text, String field) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number '" + text + "' in '" + field + "'");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("negative or non-finite number '" + text + "' in '" + field + "'");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("missing or non-integer field '" + field + "'");
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("missing or non-boolean field '" + field + "'");
        }
        return v.asBoolean();
    }

    private static double decimal(JsonNode node, String field) {
        String t = text(node, field);
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + field + "' is not a number: '" + t + "'");
        }
    }
}
