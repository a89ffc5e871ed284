package dev.fanout.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README true: its Java snippets compile against the real modules, its {@code application.yml} snippet
 * uses only real {@code fanout.*} properties, and its configuration table lists exactly the starter's properties.
 */
class ReadmeSnippetsTests {

    private static final Path README = Path.of("..", "README.md");

    private static final Pattern FENCED_BLOCK = Pattern.compile("(?m)^( *)```(\\w+)\\n(.*?)^\\1```", Pattern.DOTALL);

    private static final Pattern TABLE_PROPERTY = Pattern.compile("(?m)^\\| `(fanout\\.[a-z.-]+)` \\|");

    @Test
    void everyJavaSnippetInTheReadmeCompiles(@TempDir Path output) throws IOException {
        List<String> snippets = blocks("java");
        assertThat(snippets).as("Java snippets in README.md").hasSizeGreaterThanOrEqualTo(3);
        for (String snippet : snippets) {
            assertThat(compile(snippet, output)).as("compiler errors for:%n%s", snippet).isEmpty();
        }
    }

    @Test
    void theReadmeYamlSnippetUsesOnlyRealProperties() throws IOException {
        Set<String> known = starterProperties();
        List<String> yamlSnippets = blocks("yaml");
        assertThat(yamlSnippets).isNotEmpty();
        for (String yaml : yamlSnippets) {
            Set<String> keys = yamlKeys(yaml);
            assertThat(keys).isNotEmpty();
            assertThat(known).as("known fanout.* properties").containsAll(keys);
        }
    }

    @Test
    void theReadmeConfigurationTableListsEveryStarterPropertyAndNoOther() throws IOException {
        Matcher rows = TABLE_PROPERTY.matcher(readme());
        Set<String> documented = new TreeSet<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }
        assertThat(documented).isEqualTo(starterProperties());
    }

    private static String readme() throws IOException {
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    private static List<String> blocks(String language) throws IOException {
        Matcher matcher = FENCED_BLOCK.matcher(readme());
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(2).equals(language)) {
                String indent = matcher.group(1);
                blocks.add(matcher.group(3).lines()
                    .map((line) -> line.startsWith(indent) ? line.substring(indent.length()) : line)
                    .collect(Collectors.joining("\n")));
            }
        }
        return blocks;
    }

    private static List<String> compile(String source, Path output) throws IOException {
        Matcher className = Pattern.compile("public (?:final )?class (\\w+)").matcher(source);
        assertThat(className.find()).as("a public class in:%n%s", source).isTrue();
        Path file = Files.createDirectories(output.resolve("src")).resolve(className.group(1) + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", testClasspath(), "-d",
                    Files.createDirectories(output.resolve("classes")).toString(), "-proc:none", "-Xlint:none");
            compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
        }
        return diagnostics.getDiagnostics()
            .stream()
            .filter((diagnostic) -> diagnostic.getKind() == javax.tools.Diagnostic.Kind.ERROR)
            .map((diagnostic) -> diagnostic.getLineNumber() + ": " + diagnostic.getMessage(null))
            .toList();
    }

    private static String testClasspath() {
        String surefireClasspath = System.getProperty("surefire.test.class.path");
        return (surefireClasspath != null) ? surefireClasspath : System.getProperty("java.class.path");
    }

    private static Set<String> starterProperties() throws IOException {
        try (InputStream metadata = ReadmeSnippetsTests.class.getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(metadata).as("the starter's configuration metadata").isNotNull();
            JsonNode properties = JsonMapper.builder().build().readTree(metadata).get("properties");
            Set<String> names = new TreeSet<>();
            properties.forEach((property) -> names.add(property.get("name").stringValue()));
            names.removeIf((name) -> !name.startsWith("fanout."));
            return names;
        }
    }

    private static Set<String> yamlKeys(String yaml) throws IOException {
        Set<String> keys = new TreeSet<>();
        new YamlPropertySourceLoader().load("readme", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))
            .forEach((source) -> keys.addAll(List.of(((EnumerablePropertySource<?>) source).getPropertyNames())));
        return keys;
    }
}
