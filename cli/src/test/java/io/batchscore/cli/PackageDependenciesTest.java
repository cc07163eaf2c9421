package io.batchscore.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages of every module (this module's classpath has them all): no package cycles, and each
 * layer depends only on the layers below it. Run alone with {@code mvn -B -q install -DskipTests &&
 * mvn -B -q -pl cli test -Dtest=PackageDependenciesTest}.
 */
@AnalyzeClasses(
    packages = "io.batchscore",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      PackageDependenciesTest.NoTestJars.class
    })
class PackageDependenciesTest {
  /** The other modules' test classes come to this classpath in their test jars. */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }

  @ArchTest
  static final ArchRule noPackageDependsOnItselfThroughOthers =
      slices().matching("io.batchscore.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule scoringCoreKnowsNothingOfSparkOrTheCli =
      noClasses()
          .that()
          .resideInAPackage("io.batchscore.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.batchscore.spark..",
              "io.batchscore.cli..",
              "io.batchscore.io..",
              "org.apache.spark..",
              "scala..",
              "picocli..");

  @ArchTest
  static final ArchRule theEngineInterfaceNamesNoImplementation =
      noClasses()
          .that()
          .resideInAPackage("io.batchscore.core.engine")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.batchscore.core.engine.ort..", "io.batchscore.core.engine.djl..");

  @ArchTest
  static final ArchRule onlyScoringCoreUsesTheEngines =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.batchscore.core..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.batchscore.core.engine..");

  @ArchTest
  static final ArchRule localFileIoKnowsNothingOfSparkOrTheCli =
      noClasses()
          .that()
          .resideInAPackage("io.batchscore.io..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.batchscore.spark..",
              "io.batchscore.cli..",
              "org.apache.spark..",
              "scala..",
              "picocli..");
}
