package dev.engram.deploy.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one service's source tree says about its configuration: its {@code application.properties}, and the keys it
 * reads through {@code @ConfigProperty} and {@code @ConfigMapping} interfaces. Read from the sources beside this
 * module ({@code ../<service>}), so a manifest is checked against the code it will run.
 */
final class ServiceSources {

    /** The four services, by module (and Kubernetes) name. */
    static final List<String> SERVICES = List.of("ingest-service", "search-service", "router-service", "memory-writer");

    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)");
    private static final Pattern METHOD = Pattern.compile("^\\s*([\\w.]+(?:<.*>)?)\\s+(\\w+)\\(\\);");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");

    private final String service;
    private final Path module;

    private ServiceSources(String service) {
        this.service = service;
        this.module = Path.of("..", service);
    }

    static ServiceSources of(String service) {
        ServiceSources sources = new ServiceSources(service);
        if (!Files.isDirectory(sources.module.resolve("src/main/java"))) {
            throw new IllegalStateException("no sources of " + service + " at " + sources.module.toAbsolutePath());
        }
        return sources;
    }

    String name() {
        return service;
    }

    /** {@code application.properties} as written (profile-prefixed keys included). */
    Properties properties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(module.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The value of a key of the default profile, failing when it is absent. */
    String property(String key) {
        String value = properties().getProperty(key);
        if (value == null) {
            throw new AssertionError(service + "'s application.properties has no " + key);
        }
        return value.strip();
    }

    /** The HTTP port it listens on ({@code quarkus.http.port}). */
    int httpPort() {
        return Integer.parseInt(property("quarkus.http.port"));
    }

    /** The service's pom. */
    String pom() {
        try {
            return Files.readString(module.resolve("pom.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every configuration key the service reads: the keys of its {@code application.properties} (without profile
     * prefixes), the names of its {@code @ConfigProperty} injections, and the keys of its {@code @ConfigMapping}
     * interfaces.
     */
    Set<String> configKeys() {
        Set<String> keys = new TreeSet<>();
        for (String key : properties().stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        for (Path source : javaSources()) {
            String text = read(source);
            Matcher property = CONFIG_PROPERTY.matcher(text);
            while (property.find()) {
                keys.add(property.group(1));
            }
            Matcher mapping = CONFIG_MAPPING.matcher(text);
            if (mapping.find()) {
                keys.addAll(mappingKeys(mapping.group(1), text));
            }
        }
        return keys;
    }

    /**
     * The environment variable that SmallRye Config maps to each key: every character other than a letter or digit
     * becomes {@code _}, and the rest is upper-cased ({@code router.memory.search-url} → {@code
     * ROUTER_MEMORY_SEARCH_URL}).
     */
    Map<String, String> envNames() {
        Map<String, String> names = new TreeMap<>();
        for (String key : configKeys()) {
            names.put(envName(key), key);
        }
        return names;
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * The leaf keys of a {@code @ConfigMapping} interface and its nested interfaces, from its source: a method whose
     * return type is an interface of the same file is a group, any other method a key; names are the methods' in
     * kebab case unless {@code @WithName} says otherwise.
     */
    static Set<String> mappingKeys(String prefix, String source) {
        Map<String, List<String[]>> methodsByInterface = new HashMap<>();
        Deque<String> interfaces = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        String root = null;
        String pendingName = null;
        int depth = 0;
        String withoutComments = source.replaceAll("(?s)/\\*.*?\\*/", "");
        for (String line : withoutComments.split("\n")) {
            Matcher withName = WITH_NAME.matcher(line);
            if (withName.find()) {
                pendingName = withName.group(1);
            }
            // Braces inside string literals (defaults such as "${engram.data-dir}") and line comments do not count.
            String code = line.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("//.*$", "");
            Matcher iface = INTERFACE.matcher(code);
            if (iface.find() && code.contains("{")) {
                interfaces.push(iface.group(1));
                depths.push(depth);
                methodsByInterface.putIfAbsent(iface.group(1), new java.util.ArrayList<>());
                if (root == null) {
                    root = iface.group(1);
                }
            } else if (!interfaces.isEmpty()) {
                Matcher method = METHOD.matcher(code);
                if (method.find() && depth == depths.peek() + 1) {
                    String name = pendingName != null ? pendingName : kebab(method.group(2));
                    methodsByInterface.get(interfaces.peek()).add(new String[] {method.group(1), name});
                    pendingName = null;
                }
            }
            for (char c : code.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!depths.isEmpty() && depth == depths.peek()) {
                        interfaces.pop();
                        depths.pop();
                    }
                }
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("no interface in the @ConfigMapping source of " + prefix);
        }
        Set<String> keys = new TreeSet<>();
        collect(prefix, root, methodsByInterface, keys);
        return keys;
    }

    private static void collect(String prefix, String iface, Map<String, List<String[]>> methods, Set<String> keys) {
        for (String[] method : methods.get(iface)) {
            String type = method[0];
            String key = prefix + "." + method[1];
            if (methods.containsKey(type)) {
                collect(key, type, methods, keys);
            } else {
                keys.add(key);
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private List<Path> javaSources() {
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
