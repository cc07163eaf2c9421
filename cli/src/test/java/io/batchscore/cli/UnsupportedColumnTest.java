package io.batchscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.batchscore.core.TestData;
import io.batchscore.spark.job.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A feature column of a type no model takes (a struct) is reported once, as what it is. */
class UnsupportedColumnTest {
  @TempDir Path tmp;

  @Test
  void aStructFeatureIsOneProblemNamingItsTypeNotAMissingColumn() throws Exception {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { required float x; required group y { required int32 a; } }");
    Path file = tmp.resolve("in.parquet");
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .withType(schema)
            .build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(schema);
      Group g = f.newGroup().append("x", 1f);
      g.addGroup("y").append("a", 2);
      w.write(g);
    }
    Path spec =
        Files.writeString(
            tmp.resolve("s.yaml"),
            "model: "
                + TestData.fixture("external.onnx")
                + "\ninputs: [{input: x, columns: [x, y, x, x]}]\noutputs: [{output: y, column:"
                + " out}]\n");
    for (String command : new String[] {"validate", "score"}) {
      CliRunner.Result r =
          command.equals("validate")
              ? CliRunner.run("validate", "--spec", spec.toString(), "-i", file.toString())
              : CliRunner.run(
                  "score",
                  "--spec",
                  spec.toString(),
                  "-i",
                  file.toString(),
                  "-o",
                  tmp.resolve("o.parquet").toString());
      assertEquals(ExitCodes.INVALID_SPEC, r.code(), r.err());
      long mentions = r.err().lines().filter(l -> l.contains("'y'")).count();
      assertEquals(1, mentions, command + ":\n" + r.err());
      assertTrue(r.err().contains("which cannot feed a model"), r.err());
      assertFalse(r.err().contains("no column 'y'"), r.err());
    }
  }
}
