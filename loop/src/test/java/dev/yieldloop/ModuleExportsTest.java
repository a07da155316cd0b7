package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module's public surface is exactly its five API packages: the loop, net, sync, process and trace. Anything else
 * the module holds (a package only its own packages share) stays unexported, so users cannot come to depend on it.
 */
class ModuleExportsTest {

    private static final Set<String> API = Set.of(
            "dev.yieldloop", "dev.yieldloop.net", "dev.yieldloop.sync", "dev.yieldloop.process", "dev.yieldloop.trace");

    /**
     * The tests are patched into the module, so the runtime descriptor is the real one; when run unnamed (an IDE
     * that ignores the module path), the compiled {@code module-info.class} beside the loop's classes is read instead.
     */
    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        Module module = EventLoop.class.getModule();
        if (module.isNamed()) {
            return module.getDescriptor();
        }
        Path classes = Path.of(EventLoop.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theModuleExportsItsFiveApiPackagesAndNothingElse() throws Exception {
        ModuleDescriptor d = descriptor();
        assertThat(d.name()).isEqualTo("dev.yieldloop");
        assertThat(d.packages()).as("the module holds each API package").containsAll(API);
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(API);
        assertThat(d.exports())
                .as("every export is to everyone, none qualified to friends")
                .allSatisfy(e -> assertThat(e.isQualified()).isFalse());
        assertThat(d.opens()).as("no package opened for deep reflection").isEmpty();
    }

    @Test
    void theInternalPackageIsInTheModuleButNotExported() throws Exception {
        ModuleDescriptor d = descriptor();
        assertThat(d.packages()).contains("dev.yieldloop.internal");
        assertThat(d.exports()).noneSatisfy(e -> assertThat(e.source()).isEqualTo("dev.yieldloop.internal"));
    }
}
