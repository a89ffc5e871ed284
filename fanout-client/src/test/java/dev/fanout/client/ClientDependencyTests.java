package dev.fanout.client;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client may depend on: the JDK, Jackson, SLF4J, and the API types of fanout-core (not the hub).
 */
@AnalyzeClasses(packages = "dev.fanout.client", importOptions = ImportOption.DoNotIncludeTests.class)
class ClientDependencyTests {

    @ArchTest
    static final ArchRule theClientDependsOnlyOnTheJdkJacksonSlf4jAndCore = classes().that()
        .resideInAPackage("dev.fanout.client..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "tools.jackson..", "org.slf4j..", "org.jspecify..", "dev.fanout",
                "dev.fanout.client..");

    @ArchTest
    static final ArchRule theClientUsesOnlyCoresApiTypesNotTheHub = noClasses().that()
        .resideInAPackage("dev.fanout.client..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.fanout.WebSocketServerEventTarget")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.fanout.WebSocketServerOptions")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.fanout.RawSocket")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.fanout.SpokeEventTarget");

    @ArchTest
    static final ArchRule theApiPackageDoesNotExposeTheImplementation = noClasses().that()
        .resideInAPackage("dev.fanout.client")
        .and()
        .doNotHaveSimpleName("WebSocketClientEventTarget")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.fanout.client.internal..");

    @Test
    void onlyTheApiPackageIsExportedAndTheModuleReadsNothingElse() {
        ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes"))
            .find("dev.fanout.client")
            .map(ModuleReference::descriptor)
            .orElseThrow(() -> new AssertionError("no module dev.fanout.client in target/classes"));
        assertThat(descriptor.exports()).extracting(ModuleDescriptor.Exports::source)
            .containsExactly("dev.fanout.client");
        Set<String> required = descriptor.requires()
            .stream()
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
        assertThat(required).containsExactlyInAnyOrder("java.base", "dev.fanout", "java.net.http",
                "tools.jackson.databind", "org.slf4j", "org.jspecify");
    }
}
