package io.riptide.feed.replay;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Contract face values per venue and coin, for venues whose liquidation feeds count contracts rather than coins.
 * OKX's {@code size_usd} is contracts x price, so the real notional is {@code size_usd x ctVal}.
 */
public final class ContractSizes {

    private final Map<String, Double> sizes;

    private ContractSizes(Map<String, Double> sizes) {
        this.sizes = Map.copyOf(sizes);
    }

    /** OKX USDT swaps: BTC 0.01, ETH 0.1, SOL 1, DOGE 1000 (coins per contract). */
    public static ContractSizes defaults() {
        return new ContractSizes(Map.of(
                key("okx", "BTC"), 0.01,
                key("okx", "ETH"), 0.1,
                key("okx", "SOL"), 1.0,
                key("okx", "DOGE"), 1000.0));
    }

    /** A copy with one more (or a replaced) entry. */
    public ContractSizes with(String venue, String coin, double coinsPerContract) {
        if (!(coinsPerContract > 0) || Double.isInfinite(coinsPerContract)) {
            throw new IllegalArgumentException("contract size for " + venue + " " + coin + " must be > 0, was "
                    + coinsPerContract);
        }
        Map<String, Double> copy = new HashMap<>(sizes);
        copy.put(key(venue, coin), coinsPerContract);
        return new ContractSizes(copy);
    }

    /** Parses {@code venue:COIN=size}, e.g. {@code okx:HYPE=0.1}, and returns a copy with that entry. */
    public ContractSizes withSpec(String spec) {
        int colon = spec.indexOf(':');
        int eq = spec.indexOf('=');
        if (colon <= 0 || eq <= colon + 1 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("contract size '" + spec + "' is not venue:COIN=size (e.g. okx:HYPE=0.1)");
        }
        double size;
        try {
            size = Double.parseDouble(spec.substring(eq + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("contract size '" + spec + "' has no number after '='");
        }
        return with(spec.substring(0, colon), spec.substring(colon + 1, eq), size);
    }

    /** Whether the venue reports contracts (so a size must be known for every coin). */
    public boolean countsContracts(String venue) {
        return venue.equalsIgnoreCase("okx");
    }

    public Optional<Double> coinsPerContract(String venue, String coin) {
        return Optional.ofNullable(sizes.get(key(venue, coin)));
    }

    private static String key(String venue, String coin) {
        return venue.toLowerCase(Locale.ROOT) + ":" + coin.toUpperCase(Locale.ROOT);
    }
}
