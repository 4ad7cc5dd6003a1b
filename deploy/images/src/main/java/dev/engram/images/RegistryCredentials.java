package dev.engram.images;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How a registry image (a base to pull, a target to push) gets its credentials: {@code ENGRAM_IMAGE_REGISTRY_USERNAME}
 * and {@code ENGRAM_IMAGE_REGISTRY_PASSWORD} when both are set, else what {@code docker login} or {@code podman login}
 * stored ({@code ~/.docker/config.json}, {@code ~/.config/containers/auth.json}) or a well-known credential helper.
 * Nothing is asked for an anonymous pull.
 */
final class RegistryCredentials {

    private RegistryCredentials() {}

    /** The image, with its credentials. */
    static RegistryImage image(ImageReference reference, Consumer<LogEvent> log) {
        RegistryImage image = RegistryImage.named(reference);
        String username = System.getenv("ENGRAM_IMAGE_REGISTRY_USERNAME");
        String password = System.getenv("ENGRAM_IMAGE_REGISTRY_PASSWORD");
        if (username != null && password != null) {
            return image.addCredential(username, password);
        }
        CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(reference, log);
        image.addCredentialRetriever(credentials.dockerConfig());
        image.addCredentialRetriever(credentials.dockerConfig(
                Path.of(System.getProperty("user.home"), ".config", "containers", "auth.json")));
        image.addCredentialRetriever(credentials.wellKnownCredentialHelpers());
        return image;
    }
}
