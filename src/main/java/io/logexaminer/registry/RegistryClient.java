package io.logexaminer.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API of one registry on {@code java.net.http}: manifests as raw bytes, blobs as streams,
 * uploads in one PUT. It logs in as the registry asks (Basic, or Bearer tokens from WWW-Authenticate, renewed on
 * 401), follows redirects to other hosts without the Authorization header, retries what may succeed later, and
 * speaks plain HTTP to a loopback registry that does not answer TLS.
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MANIFEST_LIMIT = 4 * 1024 * 1024;
    /** The largest blob read whole: image configs are a few kilobytes. */
    static final int CONFIG_LIMIT = 1024 * 1024;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([a-zA-Z_]+)=\"([^\"]*)\"");
    private static final Pattern CHALLENGE_ERROR = Pattern.compile("error_description=\"([^\"]*)\"");
    private static final Pattern RATE_LIMIT_WINDOW = Pattern.compile("w=(\\d+)");
    private static final Duration SNIFF_TIMEOUT = Duration.ofSeconds(2);
    /** A response body up to this size is read to its end rather than dropped with its connection. */
    private static final long DRAINED_BODY_LIMIT = 64 * 1024;

    /** What a mount attempt gave: the blob, or an upload session the registry opened instead. */
    record Mount(boolean mounted, URI session) {
    }

    private record Token(String value, Instant renewAt) {
    }

    private final String host;
    private volatile URI base;
    private final boolean plainHttpFallback;
    /** Whether {@code base} is known to answer: until then one request at a time finds out (a TLS attempt costs CPU). */
    private volatile boolean schemeSettled;
    private final ReentrantLock schemeProbe = new ReentrantLock();
    /** Whether the loopback registry answered TLS: a failing handshake is then its error, not a reason for plain HTTP. */
    private volatile boolean speaksTls;
    private final HttpClient http;
    private final CredentialSource credentials;
    private final Retry retry;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> tokenLocks = new ConcurrentHashMap<>();
    private volatile String scheme;
    private volatile String realm;
    private volatile String service;
    private volatile String rateLimit;

    private RegistryClient(String host, URI base, boolean plainHttpFallback, HttpClient http, CredentialSource credentials,
                           Retry retry) {
        this.host = host;
        this.base = base;
        this.plainHttpFallback = plainHttpFallback;
        this.http = http;
        this.credentials = credentials;
        this.retry = retry;
    }

    /**
     * A client for the registry {@code host} (as references name it). {@code url} overrides where it is reached,
     * {@code http://} allowing plain HTTP; without it, HTTPS, falling back to HTTP on loopback as Docker does.
     */
    public static RegistryClient connect(String host, Optional<URI> url, HttpClient http, CredentialSource credentials, Retry retry) {
        if (url.isPresent()) {
            URI u = url.get();
            return new RegistryClient(host, URI.create(u.getScheme() + "://" + u.getRawAuthority()), false, http, credentials, retry);
        }
        String apiHost = DockerConfig.isDockerHub(host) ? "registry-1.docker.io" : host;
        return new RegistryClient(host, URI.create("https://" + apiHost), isLoopback(host), http, credentials, retry);
    }

    /**
     * The HTTP client registry clients share: HTTP/1.1 (a connection per parallel transfer), redirects by hand, and
     * the default TLS context made only when a registry is first spoken to over TLS.
     */
    public static HttpClient newHttpClient() {
        // Blobs pass through in the buffers the client reads: 256 KiB instead of 16 KiB cuts the CPU per byte by half.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", String.valueOf(256 * 1024));
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(DeferredTls.context()).sslParameters(DeferredTls.parameters())
                .connectTimeout(Duration.ofSeconds(15)).build();
    }

    public String host() {
        return host;
    }

    /** The latest pull rate limit the registry announced (Docker Hub's RateLimit headers), such as {@code 96 of 100 pulls left per 6h}. */
    public Optional<String> rateLimit() {
        return Optional.ofNullable(rateLimit);
    }

    /** The manifest's digest, by HEAD only; empty when the registry has no such tag or digest. */
    public Optional<String> headManifest(String repository, String reference) throws InterruptedException {
        return retry.run(() -> {
            HttpResponse<InputStream> r = exchange("HEAD", manifestUri(repository, reference), pull(repository),
                    Map.of("Accept", MediaTypes.ACCEPT), null);
            try {
                noteRateLimit(r.headers());
                if (r.statusCode() == 404) {
                    return Optional.empty();
                }
                requireSuccess(r, "HEAD manifest " + repository + ":" + reference);
                Optional<String> digest = r.headers().firstValue("Docker-Content-Digest").filter(Digests::valid);
                if (digest.isEmpty() && Digests.valid(reference)) {
                    digest = Optional.of(reference);
                }
                // A registry that does not say the digest on HEAD is asked with GET.
                return digest.isPresent() ? digest : Optional.of(getManifest(repository, reference).digest());
            } finally {
                close(r);
            }
        });
    }

    /** The manifest's raw bytes, checked against its digest. A missing one is an error that says so. */
    public Manifest getManifest(String repository, String reference) throws InterruptedException {
        return retry.run(() -> {
            String what = "manifest " + repository + (Digests.valid(reference) ? "@" : ":") + reference;
            HttpResponse<InputStream> r = exchange("GET", manifestUri(repository, reference), pull(repository),
                    Map.of("Accept", MediaTypes.ACCEPT), null);
            noteRateLimit(r.headers());
            requireSuccess(r, "GET " + what);
            byte[] bytes = readLimited(r, MANIFEST_LIMIT, what);
            String type = MediaTypes.bare(r.headers().firstValue("Content-Type").orElse(""));
            if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
                type = declaredType(bytes).orElseThrow(() -> RegistryException.permanent(host + ": " + what
                        + " is not an OCI or Docker schema 2 manifest (Content-Type '"
                        + r.headers().firstValue("Content-Type").orElse("") + "')"));
            }
            String expected = Digests.valid(reference) ? reference
                    : r.headers().firstValue("Docker-Content-Digest").filter(Digests::valid).orElse(null);
            String digest = expected == null ? Digests.sha256(bytes) : Digests.of(expected, bytes);
            if (expected != null && !expected.equals(digest)) {
                throw RegistryException.unreachable(host + ": " + what + " arrived with digest " + digest + ", not " + expected, null);
            }
            return new Manifest(bytes, type, digest);
        });
    }

    /** Pushes the manifest's bytes with its media type under {@code reference} (a tag or its digest). */
    public void putManifest(String repository, String reference, Manifest manifest) throws InterruptedException {
        retry.run(() -> {
            HttpResponse<InputStream> r = exchange("PUT", manifestUri(repository, reference), push(repository),
                    Map.of("Content-Type", manifest.mediaType()), () -> HttpRequest.BodyPublishers.ofByteArray(manifest.bytes()));
            try {
                requireSuccess(r, "PUT manifest " + repository + ":" + reference);
                Optional<String> stored = r.headers().firstValue("Docker-Content-Digest").filter(Digests::valid);
                if (stored.isPresent() && stored.get().startsWith("sha256:") && manifest.digest().startsWith("sha256:")
                        && !stored.get().equals(manifest.digest())) {
                    throw RegistryException.permanent(host + " stored manifest " + repository + ":" + reference + " as "
                            + stored.get() + ", not " + manifest.digest());
                }
                return null;
            } finally {
                close(r);
            }
        });
    }

    public boolean hasBlob(String repository, String digest) throws InterruptedException {
        return retry.run(() -> {
            HttpResponse<InputStream> r = exchange("HEAD", uri("/v2/" + repository + "/blobs/" + digest), pull(repository),
                    Map.of(), null);
            try {
                if (r.statusCode() == 404) {
                    return false;
                }
                requireSuccess(r, "HEAD blob " + repository + "@" + digest);
                return true;
            } finally {
                close(r);
            }
        });
    }

    /** A small blob (an image config) read whole and checked against its digest. */
    byte[] readSmallBlob(String repository, Descriptor blob) throws InterruptedException {
        return retry.run(() -> {
            if (blob.size() > CONFIG_LIMIT) {
                throw RegistryException.permanent(host + ": blob " + blob.digest() + " is too large to read whole");
            }
            try (InputStream in = openBlob(repository, blob.digest());
                 InputStream checked = new Digests.Verifying(in, blob.digest(), blob.size())) {
                return checked.readAllBytes();
            } catch (IOException e) {
                throw unreachable("GET blob " + blob.digest(), e);
            }
        });
    }

    /** The blob's content as a stream, following redirects to storage; the caller checks it. */
    private InputStream openBlob(String repository, String digest) throws InterruptedException {
        HttpResponse<InputStream> r = exchange("GET", uri("/v2/" + repository + "/blobs/" + digest), pull(repository), Map.of(), null);
        requireSuccess(r, "GET blob " + repository + "@" + digest);
        return r.body();
    }

    /** Starts the blob's download into {@code pipe}; returns once the registry (or its storage) answered. */
    void streamBlob(String repository, String digest, BlobPipe pipe) throws InterruptedException {
        HttpResponse<InputStream> r = exchange("GET", uri("/v2/" + repository + "/blobs/" + digest), pull(repository), Map.of(), null,
                info -> info.statusCode() / 100 == 2
                        ? HttpResponse.BodySubscribers.mapping(pipe, nothing -> InputStream.nullInputStream())
                        : HttpResponse.BodySubscribers.ofInputStream());
        requireSuccess(r, "GET blob " + repository + "@" + digest);
    }

    /** Asks the registry to link a blob that {@code from} holds into {@code repository}. */
    Mount mount(String repository, String digest, String from) throws InterruptedException {
        return retry.run(() -> {
            URI u = uri("/v2/" + repository + "/blobs/uploads/?mount=" + encode(digest) + "&from=" + encode(from));
            List<String> scopes = List.of(scope(repository, "pull,push"), scope(from, "pull"));
            HttpResponse<InputStream> r = exchange("POST", u, scopes, Map.of(), HttpRequest.BodyPublishers::noBody);
            try {
                if (r.statusCode() == 201) {
                    return new Mount(true, null);
                }
                requireSuccess(r, "mount " + digest + " from " + from + " into " + repository);
                return new Mount(false, location(r, "mount"));
            } finally {
                close(r);
            }
        });
    }

    /** Opens an upload session in {@code repository}. */
    URI startUpload(String repository) throws InterruptedException {
        return retry.run(() -> {
            HttpResponse<InputStream> r = exchange("POST", uri("/v2/" + repository + "/blobs/uploads/"), push(repository),
                    Map.of(), HttpRequest.BodyPublishers::noBody);
            try {
                requireSuccess(r, "start upload to " + repository);
                return location(r, "upload start");
            } finally {
                close(r);
            }
        });
    }

    /**
     * Uploads a blob into an open session and commits it by digest in one PUT carrying all of its content from
     * {@code pipe} (the monolithic upload: one request fewer than PATCH then PUT). Content that does not match the
     * digest fails the request, so it is never committed. Not retried here: a stream cannot be replayed, so the caller
     * restarts the whole blob.
     */
    void upload(String repository, URI session, Descriptor blob, BlobPipe pipe) throws InterruptedException {
        String separator = session.getRawQuery() == null ? "?" : "&";
        URI commit = URI.create(session + separator + "digest=" + encode(blob.digest()));
        Body content = blob.size() > 0 ? new Streamed(() -> HttpRequest.BodyPublishers.fromPublisher(pipe, blob.size()))
                : HttpRequest.BodyPublishers::noBody;
        HttpResponse<InputStream> put = exchange("PUT", commit, push(repository), Map.of("Content-Type", "application/octet-stream"), content);
        try {
            requireSuccess(put, "upload " + blob.digest() + " to " + repository);
        } finally {
            close(put);
        }
    }

    // ---- one request: login, redirects, TLS fallback ----

    @FunctionalInterface
    private interface Body {
        HttpRequest.BodyPublisher get();

        /** Whether the request can be sent again with the same content (after a login, say). */
        default boolean replayable() {
            return true;
        }
    }

    /** A body read from a stream as it is sent: once only. */
    private record Streamed(Body body) implements Body {
        @Override
        public HttpRequest.BodyPublisher get() {
            return body.get();
        }

        @Override
        public boolean replayable() {
            return false;
        }
    }

    /**
     * Sends one request, logging in when the registry asks and following redirects for reads. Returns the final
     * response (its body still open) whatever its status, except a 401 that no login could clear.
     */
    private HttpResponse<InputStream> exchange(String method, URI target, List<String> scopes, Map<String, String> headers,
                                               Body body) throws InterruptedException {
        return exchange(method, target, scopes, headers, body, HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * {@link #exchange} with the body of the final response handed to {@code handler}: logged in (again on 401),
     * redirects followed, plain HTTP found on loopback.
     */
    private HttpResponse<InputStream> exchange(String method, URI target, List<String> scopes, Map<String, String> headers,
                                               Body body, HttpResponse.BodyHandler<InputStream> handler) throws InterruptedException {
        URI u = target;
        String scopeKey = String.join(" ", scopes);
        int logins = 0;
        for (int hop = 0; ; ) {
            boolean ownHost = sameAuthority(u, base);
            boolean probing = ownHost && plainHttpFallback && !schemeSettled;
            if (probing) {
                schemeProbe.lockInterruptibly();
                if (!schemeSettled) {
                    sniffScheme();
                }
                // Settled (by another request or the sniff): the others need not wait for this request's answer.
                if (schemeSettled) {
                    schemeProbe.unlock();
                    probing = false;
                }
            }
            u = onBase(u);
            String authorization;
            HttpResponse<InputStream> r;
            try {
                authorization = ownHost ? authorization(scopes, scopeKey).orElse(null) : null;
                HttpRequest.Builder b = HttpRequest.newBuilder(u).method(method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : body.get());
                headers.forEach(b::header);
                b.header("User-Agent", "logexaminer");
                if (authorization != null) {
                    b.header("Authorization", authorization);
                }
                r = http.send(b.build(), handler);
            } catch (SSLException e) {
                if (ownHost && plainHttpFallback && !speaksTls && base.getScheme().equals("https")) {
                    usePlainHttp();
                    u = onBase(u);
                    continue;
                }
                throw unreachable(method + " " + u.getPath(), e);
            } catch (IOException e) {
                throw unreachable(method + " " + u.getPath(), e);
            } finally {
                if (probing) {
                    schemeProbe.unlock();
                }
            }
            if (probing) {
                schemeSettled = true;
            }
            int status = r.statusCode();
            if (status == 401 && ownHost && logins < 2) {
                close(r);
                login(r.headers(), scopes, scopeKey, authorization);
                logins++;
                if (body != null && !body.replayable()) {
                    throw RegistryException.unreachable(host + ": " + method + " " + u.getPath() + " needed a new login", null);
                }
                continue;
            }
            if (status == 401) {
                close(r);
                throw RegistryException.permanent(host + " refused " + method + " " + u.getPath() + " for "
                        + (authorization == null ? "anonymous access" : describeLogin()) + challengeError(r.headers()));
            }
            if (isRedirect(status) && (method.equals("GET") || method.equals("HEAD")) && hop < 5) {
                Optional<String> location = r.headers().firstValue("Location");
                if (location.isPresent()) {
                    close(r);
                    u = u.resolve(location.get());
                    hop++;
                    continue;
                }
            }
            return r;
        }
    }

    /**
     * Settles whether the loopback registry speaks TLS by a {@link TlsSniff}, before the first request makes a TLS
     * handshake to find out. When the sniff cannot tell, that request still does.
     */
    private void sniffScheme() throws InterruptedException {
        URI b = base;
        switch (TlsSniff.ask(b.getHost(), b.getPort() < 0 ? 443 : b.getPort(), SNIFF_TIMEOUT)) {
            case PLAIN -> usePlainHttp();
            case TLS -> {
                speaksTls = true;
                schemeSettled = true;
            }
            case UNKNOWN -> {
            }
        }
    }

    /** The loopback registry does not speak TLS: it is spoken to over plain HTTP from now on. */
    private void usePlainHttp() {
        base = URI.create("http://" + base.getRawAuthority());
        schemeSettled = true;
    }

    /** What to send as Authorization once the registry said how it wants logins; a token per scope, fetched ahead. */
    private Optional<String> authorization(List<String> scopes, String scopeKey) throws InterruptedException {
        String s = scheme;
        if ("basic".equals(s)) {
            return credentials.lookup(host).map(Credentials::basicHeader);
        }
        if ("bearer".equals(s) && !scopes.isEmpty()) {
            Token t = tokens.get(scopeKey);
            if (t == null || !Instant.now().isBefore(t.renewAt())) {
                // Parallel requests for one scope wait for one token instead of each asking for its own.
                ReentrantLock lock = tokenLocks.computeIfAbsent(scopeKey, k -> new ReentrantLock());
                lock.lockInterruptibly();
                try {
                    t = tokens.get(scopeKey);
                    if (t == null || !Instant.now().isBefore(t.renewAt())) {
                        t = fetchToken(scopes, false);
                        tokens.put(scopeKey, t);
                    }
                } finally {
                    lock.unlock();
                }
            }
            return Optional.of("Bearer " + t.value());
        }
        return Optional.empty();
    }

    /** Answers a 401: remembers how the registry wants to be logged in to, and gets what it needs. */
    private void login(HttpHeaders headers, List<String> scopes, String scopeKey, String refused) throws InterruptedException {
        String challenge = headers.firstValue("WWW-Authenticate").orElse("");
        String kind = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        switch (kind) {
            case "basic" -> {
                Credentials login = credentials.lookup(host).orElseThrow(() -> RegistryException.permanent(
                        host + " requires a login and none is configured for it (docker login, ~/.docker/config.json)"));
                if (refused != null && refused.startsWith("Basic") && !credentials.renew(host, login)) {
                    throw RegistryException.permanent(host + " refused the login of " + login.username());
                }
                scheme = "basic";
            }
            case "bearer" -> {
                if (!params.containsKey("realm")) {
                    throw RegistryException.permanent(host + " asked for a bearer token without naming its token service");
                }
                realm = params.get("realm");
                service = params.get("service");
                List<String> wanted = new ArrayList<>(scopes);
                String asked = params.get("scope");
                if (asked != null) {
                    for (String one : asked.split(" ")) {
                        if (!wanted.contains(one)) {
                            wanted.add(one);
                        }
                    }
                }
                scheme = "bearer";
                tokens.put(scopeKey, fetchToken(wanted, refused != null && refused.startsWith("Bearer")));
            }
            default -> throw RegistryException.permanent(host + " asked for a login it did not describe ('"
                    + (challenge.isEmpty() ? "no WWW-Authenticate header" : kind) + "')");
        }
    }

    /** A token from the registry's token service, logged in when a login is configured. */
    private Token fetchToken(List<String> scopes, boolean previousRefused) throws InterruptedException {
        StringBuilder query = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (service != null) {
            query.append("service=").append(encode(service));
        }
        for (String s : scopes) {
            query.append("&scope=").append(encode(s));
        }
        Optional<Credentials> login = credentials.lookup(host);
        if (previousRefused && login.isPresent() && credentials.renew(host, login.get())) {
            login = credentials.lookup(host);
        }
        for (int tries = 0; ; tries++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(query.toString())).GET().header("User-Agent", "logexaminer");
            login.ifPresent(c -> b.header("Authorization", c.basicHeader()));
            try {
                HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() == 401 && login.isPresent() && tries == 0 && credentials.renew(host, login.get())) {
                    close(r);
                    login = credentials.lookup(host);
                    continue;
                }
                if (r.statusCode() == 401 || r.statusCode() == 403) {
                    close(r);
                    throw RegistryException.permanent(host + "'s token service refused "
                            + login.map(c -> "the login of " + c.username()).orElse("anonymous access")
                            + " to " + String.join(" ", scopes) + " (a private image needs a login)");
                }
                requireSuccess(r, "token from " + URI.create(realm).getHost());
                JsonNode answer = JSON.readTree(readLimited(r, 1024 * 1024, "token"));
                String token = answer.path("token").asText(answer.path("access_token").asText(""));
                if (token.isEmpty()) {
                    throw RegistryException.permanent(host + "'s token service answered without a token");
                }
                long lifetime = Math.max(answer.path("expires_in").asLong(60), 60);
                return new Token(token, Instant.now().plusSeconds(lifetime - 10));
            } catch (IOException e) {
                throw unreachable("token service", e);
            }
        }
    }

    private String describeLogin() {
        return credentials.lookup(host).map(c -> "the login of " + c.username()).orElse("anonymous access");
    }

    private static String challengeError(HttpHeaders headers) {
        Matcher m = CHALLENGE_ERROR.matcher(headers.firstValue("WWW-Authenticate").orElse(""));
        return m.find() ? ": " + m.group(1) : "";
    }

    // ---- helpers ----

    /** {@code u} with the scheme {@code base} settled on, when it points at the registry itself. */
    private URI onBase(URI u) {
        URI settled = base;
        if (!sameAuthority(u, settled) || u.getScheme().equals(settled.getScheme())) {
            return u;
        }
        return URI.create(settled.getScheme() + "://" + u.getRawAuthority() + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    private URI manifestUri(String repository, String reference) {
        return uri("/v2/" + repository + "/manifests/" + reference);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private static List<String> pull(String repository) {
        return List.of(scope(repository, "pull"));
    }

    private static List<String> push(String repository) {
        return List.of(scope(repository, "pull,push"));
    }

    private static String scope(String repository, String actions) {
        return "repository:" + repository + ":" + actions;
    }

    private URI location(HttpResponse<?> r, String what) {
        String location = r.headers().firstValue("Location").orElseThrow(() -> RegistryException.permanent(
                host + ": " + what + " answered " + r.statusCode() + " without a Location"));
        return r.uri().resolve(location);
    }

    private void noteRateLimit(HttpHeaders headers) {
        Optional<String> remaining = headers.firstValue("RateLimit-Remaining");
        Optional<String> limit = headers.firstValue("RateLimit-Limit");
        if (remaining.isPresent() && limit.isPresent()) {
            rateLimit = quota(remaining.get()) + " of " + quota(limit.get()) + " pulls left" + window(limit.get());
        }
    }

    private static String quota(String header) {
        return header.split(";", 2)[0].strip();
    }

    private static String window(String header) {
        Matcher m = RATE_LIMIT_WINDOW.matcher(header);
        if (!m.find()) {
            return "";
        }
        long seconds = Long.parseLong(m.group(1));
        return seconds % 3600 == 0 ? " per " + seconds / 3600 + "h" : " per " + seconds + "s";
    }

    private void requireSuccess(HttpResponse<InputStream> r, String what) {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = errorDetail(r);
        if (detail.isEmpty() && !RegistryException.retryableStatus(status)
                && r.headers().firstValue("Docker-Distribution-Api-Version").isEmpty()) {
            detail = "(" + host + " does not answer like an OCI distribution registry)";
        }
        throw RegistryException.status(host + ": " + what + ": " + status + (detail.isEmpty() ? "" : " " + detail), status,
                retryAfter(r.headers()));
    }

    /** The registry's error codes and messages ({@code MANIFEST_UNKNOWN: manifest unknown}), or what the body was. */
    private static String errorDetail(HttpResponse<InputStream> r) {
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(8192);
        } catch (IOException e) {
            return "";
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            List<String> parts = new ArrayList<>();
            for (JsonNode e : errors) {
                parts.add(e.path("code").asText("") + ": " + e.path("message").asText(""));
            }
            if (!parts.isEmpty()) {
                return String.join("; ", parts);
            }
        } catch (IOException notJson) {
            // Described below by its content type.
        }
        return "";
    }

    static Duration retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.get())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private byte[] readLimited(HttpResponse<InputStream> r, int limit, String what) {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw RegistryException.permanent(host + ": " + what + " is larger than " + limit / 1024 + " KiB");
            }
            return bytes;
        } catch (IOException e) {
            throw unreachable("read " + what, e);
        }
    }

    private static Optional<String> declaredType(byte[] bytes) {
        try {
            String declared = JSON.readTree(bytes).path("mediaType").asText("");
            return MediaTypes.isIndex(declared) || MediaTypes.isManifest(declared) ? Optional.of(declared) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private RegistryException unreachable(String what, IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return RegistryException.unreachable(host + ": " + what + ": " + message, e);
    }

    /**
     * Ends a response whose body the caller does not read. A HEAD's (which has none) and a short one (a 401's, an
     * error's) are read to their end, which keeps the connection for the next request; closing it unread drops it.
     */
    private static void close(HttpResponse<InputStream> r) {
        try (InputStream rest = r.body()) {
            if (r.request().method().equals("HEAD")
                    || r.headers().firstValueAsLong("Content-Length").orElse(Long.MAX_VALUE) <= DRAINED_BODY_LIMIT) {
                rest.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException ignored) {
            // Nothing more to read from it.
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameAuthority(URI a, URI b) {
        return a.getRawAuthority() != null && a.getRawAuthority().equalsIgnoreCase(b.getRawAuthority());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code localhost}, 127.0.0.0/8 and ::1, with or without a port. */
    static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host.replaceFirst(":\\d+$", "");
        if (name.equals("localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+") && !name.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
