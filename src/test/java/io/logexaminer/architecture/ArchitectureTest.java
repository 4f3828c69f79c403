package io.logexaminer.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering of DESIGN.md: thin commands, actions on adapters, adapters that never import each other. */
@AnalyzeClasses(packages = "io.logexaminer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] SDKS = {"software.amazon..", "io.fabric8..", "com.clickhouse..", "java.sql.."};
    private static final String[] ADAPTERS = {"aws", "registry", "k8s", "clickhouse"};

    @ArchTest
    static final ArchRule commandsImportNoSdkType = noClasses().that().resideInAPackage("io.logexaminer.cli..")
            .should().dependOnClassesThat().resideInAnyPackage(SDKS);

    @ArchTest
    static final ArchRule commandsDoNotCallAdaptersDirectly = noClasses().that().resideInAPackage("io.logexaminer.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.logexaminer.aws..", "io.logexaminer.registry..",
                    "io.logexaminer.k8s..", "io.logexaminer.clickhouse..");

    @ArchTest
    static final ArchRule configPlanResultAndErrorsArePureJava = noClasses().that().resideInAnyPackage("io.logexaminer.config..",
                    "io.logexaminer.plan..", "io.logexaminer.result..", "io.logexaminer.error..")
            .should().dependOnClassesThat().resideInAnyPackage(SDKS)
            .orShould().dependOnClassesThat().resideInAnyPackage("io.logexaminer.aws..", "io.logexaminer.registry..",
                    "io.logexaminer.k8s..", "io.logexaminer.clickhouse..", "io.logexaminer.action..", "io.logexaminer.cli..",
                    "io.logexaminer.output..");

    @ArchTest
    static final ArchRule adaptersDoNotImportEachOther = adaptersIsolated();

    @ArchTest
    static final ArchRule adaptersDoNotReachUp = noClasses().that().resideInAnyPackage("io.logexaminer.aws..",
                    "io.logexaminer.registry..", "io.logexaminer.k8s..", "io.logexaminer.clickhouse..")
            .should().dependOnClassesThat().resideInAnyPackage("io.logexaminer.action..", "io.logexaminer.cli..",
                    "io.logexaminer.output..");

    @ArchTest
    static final ArchRule onlyTheirAdapterTouchesAnSdk = noClasses().that().resideOutsideOfPackages("io.logexaminer.aws..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon..");

    private static ArchRule adaptersIsolated() {
        ArchRule rule = null;
        for (String adapter : ADAPTERS) {
            String[] others = java.util.Arrays.stream(ADAPTERS).filter(a -> !a.equals(adapter))
                    .map(a -> "io.logexaminer." + a + "..").toArray(String[]::new);
            ArchRule one = noClasses().that().resideInAPackage("io.logexaminer." + adapter + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true);
            rule = rule == null ? one : com.tngtech.archunit.lang.CompositeArchRule.of(rule).and(one);
        }
        return rule;
    }
}
