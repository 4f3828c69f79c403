package io.logexaminer.cli;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AotTrainingTest {

    @Test
    void theRefusingEndpointAnswersEveryRequestWith403AndHangsUpOnATlsHello() throws Exception {
        try (AotTraining.RefusingEndpoint refusing = new AotTraining.RefusingEndpoint(); HttpClient http = HttpClient.newHttpClient()) {
            URI base = URI.create("http://" + refusing.hostAndPort());
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(base.resolve("/v2/source/spark/manifests/1"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"registryIds\": []}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(List.of(403, 403), List.of(head.statusCode(), post.statusCode()));

            String[] hostAndPort = refusing.hostAndPort().split(":");
            try (Socket tls = new Socket(hostAndPort[0], Integer.parseInt(hostAndPort[1]))) {
                tls.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0});
                InputStream answer = tls.getInputStream();
                assertEquals(-1, answer.read(), "a TLS hello gets no answer but the end of the connection");
            }
        }
    }
}
