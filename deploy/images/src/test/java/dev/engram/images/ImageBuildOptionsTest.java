package dev.engram.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ImageBuildOptionsTest {

    @Test
    void emptyValuesAreTheDefaults() {
        ImageBuildOptions options =
                ImageBuildOptions.parse("--repo=/work/engram", "--base=", "--registry=", "--tag=", "--services=");

        assertThat(options.repo()).isEqualTo(Path.of("/work/engram"));
        assertThat(options.output()).isEqualTo(Path.of("/work/engram/deploy/images/target/images"));
        assertThat(options.services()).containsExactlyElementsOf(ServiceApp.ALL);
        assertThat(options.tag()).isEqualTo("latest");
        assertThat(options.base()).isEmpty();
        assertThat(options.registry()).isEmpty();
        assertThat(options.jdk()).isEqualTo(Path.of(System.getProperty("java.home")));
    }

    @Test
    void givenValuesAreTaken() {
        ImageBuildOptions options = ImageBuildOptions.parse(
                "--services=router-service, search-service",
                "--tag=0.1.0",
                "--base=registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24",
                "--registry=registry.example.com/team");

        assertThat(options.services()).containsExactly("router-service", "search-service");
        assertThat(options.tag()).isEqualTo("0.1.0");
        assertThat(options.base()).contains("registry.access.redhat.com/ubi9/openjdk-21-runtime:1.24");
        assertThat(ServiceImage.reference(options.registry().orElseThrow(), "router-service", options.tag()))
                .isEqualTo("registry.example.com/team/engram/router-service:0.1.0");
        assertThat(ServiceImage.reference(null, "router-service", "latest")).isEqualTo("engram/router-service:latest");
    }

    @Test
    void unknownArgumentsServicesAndBadTagsAreRefused() {
        assertThatThrownBy(() -> ImageBuildOptions.parse("--push=true")).hasMessageContaining("unknown argument");
        assertThatThrownBy(() -> ImageBuildOptions.parse("router-service")).hasMessageContaining("unknown argument");
        assertThatThrownBy(() -> ImageBuildOptions.parse("--services=gateway")).hasMessageContaining("unknown service");
        assertThatThrownBy(() -> ImageBuildOptions.parse("--tag=a:b")).hasMessageContaining("not an image tag");
    }
}
