package dev.engram.router.config;

import dev.engram.router.chat.TokenCounter;
import dev.engram.router.upstream.UpstreamPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;

/** The router's plain objects, built once from configuration. */
public class RouterProducers {

    @Produces
    @Singleton
    UpstreamPolicy upstreamPolicy(RouterConfig config) {
        RouterConfig.Upstream upstream = config.upstream();
        return new UpstreamPolicy(
                upstream.allowedHosts().orElse(List.of()),
                upstream.privateHosts().orElse(List.of()),
                InetAddress::getAllByName);
    }

    @Produces
    @Singleton
    TokenCounter tokenCounter() {
        return TokenCounter.o200k();
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
