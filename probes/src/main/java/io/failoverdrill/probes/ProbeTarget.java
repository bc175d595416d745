package io.failoverdrill.probes;

import java.net.URI;

/**
 * One region as a probe sees it: the service URL to time ({@code serviceUri}) and the base URL of its status
 * endpoints ({@code /health}, {@code /index/meta}, {@code /cache}, {@code /backlog}); {@code tool} marks a tool
 * endpoint, whose failures are classed {@code tool_call}; {@code followRedirects}: a 3xx answer is followed (up to 5
 * hops, the latency counting them all) rather than counted as the answer; {@code proxy}: the HTTP proxy every
 * request goes through ({@code http://host:port}), null for none.
 */
public record ProbeTarget(String region, URI serviceUri, URI statusBase, boolean tool, boolean followRedirects, URI proxy) {
    public ProbeTarget(String region, URI serviceUri, URI statusBase, boolean tool) {
        this(region, serviceUri, statusBase, tool, true, null);
    }

    public ProbeTarget(String region, URI serviceUri, URI statusBase, boolean tool, boolean followRedirects) {
        this(region, serviceUri, statusBase, tool, followRedirects, null);
    }
}
