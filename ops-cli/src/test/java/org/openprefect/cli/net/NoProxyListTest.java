package org.openprefect.cli.net;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** curl's NO_PROXY rules, and which variable the upstream client's HTTP and websocket code read. */
class NoProxyListTest {

    @Test
    void namesMatchThemselvesAndSubdomainsOnly() {
        NoProxyList list = new NoProxyList("example.com, .internal  other.org");
        assertEquals(Optional.of("example.com"), list.match("example.com"));
        assertEquals(Optional.of("example.com"), list.match("API.Example.com"));
        assertEquals(Optional.of(".internal"), list.match("internal"), "a leading dot is ignored");
        assertEquals(Optional.of(".internal"), list.match("db.internal"));
        assertEquals(Optional.of("other.org"), list.match("other.org."), "a trailing dot on the host is ignored");
        assertFalse(list.match("badexample.com").isPresent());
        assertFalse(list.match("example.com.evil").isPresent());
    }

    @Test
    void starAloneMatchesEverythingAndInsideAListIsNotAPattern() {
        assertTrue(new NoProxyList("*").match("anything.at.all").isPresent());
        assertFalse(new NoProxyList("*.example.com").match("api.example.com").isPresent());
    }

    @Test
    void ipEntriesMatchIpHostsExactlyOrByCidrAndNeverNames() {
        NoProxyList list = new NoProxyList("10.0.0.0/8,192.168.1.7,::1,[fd00::]/8");
        assertTrue(list.match("10.20.30.40").isPresent());
        assertTrue(list.match("192.168.1.7").isPresent());
        assertFalse(list.match("192.168.1.8").isPresent());
        assertTrue(list.match("[::1]").isPresent());
        assertFalse(list.match("11.0.0.1").isPresent());
        assertFalse(new NoProxyList("127.0.0.1").match("localhost").isPresent(), "names are not resolved");
        assertFalse(new NoProxyList("localhost").match("127.0.0.1").isPresent());
    }

    @Test
    void entriesWithAPortNeverMatchAndAreReported() {
        NoProxyList list = new NoProxyList("example.com:8080,[::1]:80,plain.org");
        assertFalse(list.match("example.com").isPresent());
        assertEquals(List.of("example.com:8080", "[::1]:80"), list.ignoredEntries());
    }

    @Test
    void httpTakesLowercaseFirstThenAllProxyWhileWebsocketsTakeOnlyUppercase() {
        ProxyEnvironment env = new ProxyEnvironment(Map.of("http_proxy", "http://lower:1", "HTTP_PROXY", "http://upper:2",
                "ALL_PROXY", "fallback:3"));
        assertEquals("lower", env.route(URI.create("http://server:4200/api")).proxy().getHost());
        assertEquals("upper", env.route(URI.create("ws://server:4200/api/events/in")).proxy().getHost());
        ProxyRoute https = env.route(URI.create("https://server/api"));
        assertEquals("ALL_PROXY", https.variable());
        assertEquals("http://fallback:3", https.proxyForDisplay(), "a bare host:port means http");
        assertTrue(env.route(URI.create("wss://server/api/events/in")).direct(), "websockets ignore ALL_PROXY");
    }

    @Test
    void noProxyExemptionIsReportedWithItsEntry() {
        ProxyRoute route = new ProxyEnvironment(Map.of("HTTPS_PROXY", "http://p:3128", "no_proxy", ".corp"))
                .route(URI.create("https://prefect.corp/api"));
        assertTrue(route.direct());
        assertEquals(".corp", route.bypassedBy());
    }
}
