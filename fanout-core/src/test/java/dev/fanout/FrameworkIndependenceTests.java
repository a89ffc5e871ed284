package dev.fanout;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "dev.fanout", importOptions = ImportOption.DoNotIncludeTests.class)
class FrameworkIndependenceTests {

    @ArchTest
    static final ArchRule coreDependsOnlyOnTheJdkJacksonSlf4jAndJSpecify = classes().that()
        .resideInAPackage("dev.fanout..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "tools.jackson..", "com.fasterxml.jackson.annotation..", "org.slf4j..",
                "org.jspecify..", "dev.fanout..")
        .because("fanout-core must stay framework-agnostic (issue 2)");

    @ArchTest
    static final ArchRule coreUsesNoSpringServletOrWebSocketContainerApi = noClasses().that()
        .resideInAPackage("dev.fanout..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "jakarta..", "javax.servlet..", "javax.websocket..",
                "org.apache.tomcat..", "org.eclipse.jetty..", "io.netty..", "io.undertow..");

    @ArchTest
    static final ArchRule theApiPackageDoesNotExposeTheImplementation = noClasses().that()
        .resideInAPackage("dev.fanout")
        .and()
        .doNotHaveSimpleName("WebSocketServerEventTarget")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.fanout.internal..");
}
