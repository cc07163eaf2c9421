package io.batchscore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * scoring-core's public API: the types a library user sees, and nothing of the engines, ONNX
 * Runtime or DJL in any of their public signatures. Adding a public type means adding it here, on
 * purpose.
 */
class PublicApiTest {
  /** Packages that are not API: the engine interface and its implementations. */
  private static final String INTERNAL = "io.batchscore.core.engine";

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.batchscore.core");

  private static boolean api(JavaClass c) {
    if (c.getPackageName().startsWith(INTERNAL)
        || !c.getModifiers().contains(JavaModifier.PUBLIC)) {
      return false;
    }
    return c.getEnclosingClass().map(PublicApiTest::api).orElse(true);
  }

  private static boolean hidden(JavaClass type) {
    JavaClass t = type.isArray() ? type.getBaseComponentType() : type;
    String p = t.getPackageName();
    return p.startsWith(INTERNAL) || p.startsWith("ai.onnxruntime") || p.startsWith("ai.djl");
  }

  @Test
  void noPublicSignatureExposesAnEngineOnnxRuntimeOrDjlType() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass c : CLASSES) {
      if (!api(c)) {
        continue;
      }
      for (JavaCodeUnit u : c.getCodeUnits()) {
        if (!u.getModifiers().contains(JavaModifier.PUBLIC)
            && !u.getModifiers().contains(JavaModifier.PROTECTED)) {
          continue;
        }
        for (JavaClass t : u.getRawParameterTypes()) {
          if (hidden(t)) {
            leaks.add(u.getFullName() + " takes " + t.getName());
          }
        }
        if (hidden(u.getRawReturnType())) {
          leaks.add(u.getFullName() + " returns " + u.getRawReturnType().getName());
        }
      }
      for (JavaField f : c.getFields()) {
        if (f.getModifiers().contains(JavaModifier.PUBLIC) && hidden(f.getRawType())) {
          leaks.add(f.getFullName() + " is a " + f.getRawType().getName());
        }
      }
    }
    assertEquals(List.of(), leaks);
  }

  @Test
  void thePublicApiIsTheseTypes() {
    Set<String> api = new TreeSet<>();
    for (JavaClass c : CLASSES) {
      if (api(c) && !c.getSimpleName().equals("package-info")) {
        api.add(c.getName().substring("io.batchscore.core.".length()).replace('$', '.'));
      }
    }
    assertEquals(EXPECTED, api, "the public API changed: review it, then update this list");
  }

  private static final Set<String> EXPECTED =
      new TreeSet<>(
          List.of(
              "BadInputException",
              "BatchScorer",
              "ModelLocator",
              "Models",
              "OutputColumn",
              "RowRejection",
              "ScoreResult",
              "ScorerOptions",
              "ScorerOptions.Builder",
              "ScoringException",
              "ScoringPlan",
              "column.Column",
              "column.ColumnBatch",
              "column.ColumnBatch.Builder",
              "column.ColumnType",
              "column.ColumnType.Kind",
              "column.ElementType",
              "column.EncodedStrings",
              "column.InputSchema",
              "column.InputSchema.Builder",
              "model.DeviceUnavailableException",
              "model.ModelInfo",
              "model.ModelLoadException",
              "model.ModelMetadata",
              "model.ModelSignature",
              "model.ModelSource",
              "model.ModelVersions",
              "model.ModelVersions.Resolved",
              "model.ValueInfo",
              "model.ValueInfo.Kind",
              "monitor.ColumnDrift",
              "monitor.ColumnProfile",
              "monitor.ColumnProfile.Kind",
              "monitor.ColumnProfile.Role",
              "monitor.Drift",
              "monitor.DriftReport",
              "monitor.DriftStatus",
              "monitor.HtmlReport",
              "monitor.HtmlReport.TrendPoint",
              "monitor.ModelComparison",
              "monitor.Profile",
              "monitor.Profiler",
              "monitor.Profiler.Builder",
              "monitor.Profiles",
              "spec.Challenger",
              "spec.Challenger.Mode",
              "spec.DeviceRequest",
              "spec.DeviceRequest.Kind",
              "spec.EngineKind",
              "spec.InputBinding",
              "spec.Monitoring",
              "spec.Monitoring.Threshold",
              "spec.NullPolicy",
              "spec.OutputBinding",
              "spec.Problem",
              "spec.ScoringSpec",
              "spec.ScoringSpec.Builder",
              "spec.SessionConfig",
              "spec.SpecException",
              "spec.TextConfig",
              "spec.Transform"));
}
