package org.openprefect.cli.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code NO_PROXY} list matched the way curl matches it: entries split on commas and spaces; a
 * lone {@code *} matches every host; a leading dot is ignored, and a name matches itself and its
 * subdomains ({@code example.com} matches {@code api.example.com}, not {@code badexample.com}); the
 * URL's port plays no part; an IP literal matches only an IP host, exactly or by CIDR
 * ({@code 10.0.0.0/8}); names are never resolved. An entry with a port ({@code host:8080}) never
 * matches in curl, so it is reported as ignored.
 */
public final class NoProxyList {
    private final String raw;
    private final List<String> entries;

    public NoProxyList(String raw) {
        this.raw = raw == null ? "" : raw;
        List<String> parsed = new ArrayList<>();
        for (String token : this.raw.split("[,\\s]+")) {
            if (!token.isEmpty()) {
                parsed.add(token.toLowerCase(Locale.ROOT));
            }
        }
        this.entries = List.copyOf(parsed);
    }

    public String raw() {
        return raw;
    }

    /** The entry that exempts this host from the proxy, if one does. */
    public Optional<String> match(String host) {
        if (raw.strip().equals("*")) {
            return Optional.of("*");
        }
        String name = normalize(host);
        boolean hostIsIp = isIpLiteral(name);
        for (String entry : entries) {
            if (hasPort(entry)) {
                continue;
            }
            String e = normalize(entry.startsWith(".") ? entry.substring(1) : entry);
            if (e.isEmpty()) {
                continue;
            }
            boolean matched = hostIsIp ? matchesIp(name, e) : !isIpLiteral(cidrBase(e)) && matchesName(name, e);
            if (matched) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** Entries curl never matches because they carry a port. */
    public List<String> ignoredEntries() {
        return entries.stream().filter(NoProxyList::hasPort).toList();
    }

    private static boolean matchesName(String name, String entry) {
        return name.equals(entry) || name.endsWith("." + entry);
    }

    private static boolean matchesIp(String ip, String entry) {
        int slash = entry.indexOf('/');
        String base = slash < 0 ? entry : entry.substring(0, slash);
        if (!isIpLiteral(base)) {
            return false;
        }
        try {
            byte[] host = InetAddress.getByName(ip).getAddress();
            byte[] net = InetAddress.getByName(base).getAddress();
            if (host.length != net.length) {
                return false;
            }
            int bits = slash < 0 ? host.length * 8 : Integer.parseInt(entry.substring(slash + 1));
            if (bits < 0 || bits > host.length * 8) {
                return false;
            }
            int shift = host.length * 8 - bits;
            return new BigInteger(1, host).shiftRight(shift).equals(new BigInteger(1, net).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean hasPort(String entry) {
        if (entry.startsWith("[")) {
            return entry.matches("\\[[^]]*]:\\d+");
        }
        // One colon means host:port; more are an IPv6 literal.
        return entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':');
    }

    private static String cidrBase(String entry) {
        int slash = entry.indexOf('/');
        return slash < 0 ? entry : entry.substring(0, slash);
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** An IPv4 dotted quad or an IPv6 literal, recognised without any lookup. */
    static boolean isIpLiteral(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (host.contains(":") && host.matches("[0-9a-f:.]+"));
    }
}
