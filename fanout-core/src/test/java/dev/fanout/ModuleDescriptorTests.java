package dev.fanout;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compiled module descriptor of fanout-core: the API package is the only one exported, and the module reads
 * nothing beyond Jackson, SLF4J and (at compile time only) JSpecify.
 */
class ModuleDescriptorTests {

    private final ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes"))
        .find("dev.fanout")
        .map(ModuleReference::descriptor)
        .orElseThrow(() -> new AssertionError("no module dev.fanout in target/classes"));

    @Test
    void onlyTheApiPackageIsExported() {
        assertThat(this.descriptor.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.fanout");
        assertThat(this.descriptor.exports()).allMatch((exported) -> !exported.isQualified());
        assertThat(this.descriptor.packages()).contains("dev.fanout.internal");
        assertThat(this.descriptor.opens()).isEmpty();
    }

    @Test
    void theModuleRequiresOnlyJacksonSlf4jAndJSpecify() {
        Set<String> required = this.descriptor.requires()
            .stream()
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
        assertThat(required).containsExactlyInAnyOrder("java.base", "tools.jackson.databind", "org.slf4j",
                "org.jspecify");
        assertThat(this.descriptor.requires())
            .filteredOn((requires) -> requires.name().equals("org.jspecify"))
            .allMatch((requires) -> requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
    }
}
