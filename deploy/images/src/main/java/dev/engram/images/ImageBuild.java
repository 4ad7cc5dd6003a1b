package dev.engram.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the services' container images offline: the base image first ({@link BaseImage}, once), then each service
 * on it ({@link ServiceImage}). Run by the {@code images} profile of this module ({@code ./mvnw -Pimages package
 * -DskipTests}); the arguments are {@link ImageBuildOptions}'.
 */
public final class ImageBuild {

    private ImageBuild() {}

    /** The images built: the base (absent when building on a registry image) and the services'. */
    record Result(BaseImage.Result base, List<ServiceImage.Built> services) {}

    /** Builds what the arguments say; a failure exits with status 1 and the reason. */
    public static void main(String[] args) {
        try {
            run(ImageBuildOptions.parse(args), line -> System.out.println("[images] " + line));
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            System.err.println("[images] " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /**
     * Builds the images.
     *
     * @param options what to build
     * @param log where progress goes, a line at a time
     */
    static Result run(ImageBuildOptions options, Consumer<String> log) throws IOException, InterruptedException {
        List<ServiceApp> apps = new ArrayList<>();
        for (String service : options.services()) {
            apps.add(ServiceApp.in(options.repo(), service));
        }
        Files.createDirectories(options.output());

        BaseImage.Result baseImage = null;
        ServiceImage.Base base;
        if (options.base().isPresent()) {
            base = new ServiceImage.Base.Remote(options.base().get());
            log.accept("building on " + options.base().get());
        } else {
            long started = System.nanoTime();
            Path archive = options.output().resolve("engram-base.tar");
            baseImage = BaseImage.build(
                    options.jdk(), Path.of("/"), options.output().resolve("base-work"), archive);
            log.accept("%s -> %s (%s, %d s; Java %s; %s)"
                    .formatted(
                            baseImage.reference(),
                            archive,
                            size(archive),
                            seconds(started),
                            baseImage.labels().get("dev.engram.base.java"),
                            baseImage.labels().get("dev.engram.base.debian-packages")));
            base = new ServiceImage.Base.Built(baseImage);
        }

        ServiceImage.Target target = options.registry()
                .<ServiceImage.Target>map(ServiceImage.Target.Registry::new)
                .orElseGet(() -> new ServiceImage.Target.Tar(options.output()));
        List<ServiceImage.Built> built = new ArrayList<>();
        for (ServiceApp app : apps) {
            long started = System.nanoTime();
            ServiceImage.Built image = ServiceImage.build(
                    app,
                    base,
                    target,
                    options.tag(),
                    options.version(),
                    options.output().resolve("jib-cache"),
                    line -> log.accept(app.name() + ": " + line));
            built.add(image);
            log.accept("%s -> %s (%s%d s, %s)"
                    .formatted(
                            image.reference(),
                            image.archive() == null ? "pushed" : image.archive(),
                            image.archive() == null ? "" : size(image.archive()) + ", ",
                            seconds(started),
                            image.digest()));
        }
        return new Result(baseImage, built);
    }

    private static String size(Path file) throws IOException {
        return "%.0f MB".formatted(Files.size(file) / 1e6);
    }

    private static long seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }
}
