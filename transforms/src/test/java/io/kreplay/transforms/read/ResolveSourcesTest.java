package io.kreplay.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertThrows;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code --profile} to profile sources: order, phases, globs, schemes and the errors. */
public class ResolveSourcesTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private File dir;

  @BeforeClass
  public static void registerFileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Before
  public void files() throws IOException {
    dir = tmp.newFolder("profiles");
    // Created out of name order on purpose.
    for (String name : new String[] {"b.yaml", "a.yaml", "c.txt"}) {
      Files.write(new File(dir, name).toPath(), "version: 1\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private String path(String name) {
    return new File(dir, name).getAbsolutePath();
  }

  @Test
  public void commaListKeepsTheOrderGivenAndNumbersPhases() throws Exception {
    String url = "http://127.0.0.1:1/profiles/x.yaml";
    List<ProfileSource> sources =
        ResolveSources.resolve(path("c.txt") + ", " + url + " ," + path("b.yaml") + "," + path("a.yaml"));
    assertThat(sources, hasSize(4));
    assertThat(sources.get(0).location, endsWith("/profiles/c.txt"));
    assertThat(sources.get(1).location, equalTo(url));
    assertThat(sources.get(2).location, endsWith("/profiles/b.yaml"));
    assertThat(sources.get(3).location, endsWith("/profiles/a.yaml"));
    for (int i = 0; i < sources.size(); i++) {
      assertThat(sources.get(i).phase, equalTo(i));
    }
  }

  @Test
  public void globExpandsToMatchesSortedByName() throws Exception {
    List<ProfileSource> sources = ResolveSources.resolve(dir.getAbsolutePath() + "/*.yaml");
    assertThat(sources, hasSize(2));
    assertThat(sources.get(0).location, endsWith("/profiles/a.yaml"));
    assertThat(sources.get(1).location, endsWith("/profiles/b.yaml"));
    assertThat(sources.get(0).phase, equalTo(0));
    assertThat(sources.get(1).phase, equalTo(1));
  }

  @Test
  public void globMatchesTakeConsecutivePhasesAmongOtherSources() throws Exception {
    List<ProfileSource> sources =
        ResolveSources.resolve(path("c.txt") + "," + dir.getAbsolutePath() + "/*.yaml," + path("c.txt"));
    assertThat(sources, hasSize(4));
    assertThat(sources.get(0).location, endsWith("/c.txt"));
    assertThat(sources.get(1).location, endsWith("/a.yaml"));
    assertThat(sources.get(2).location, endsWith("/b.yaml"));
    assertThat(sources.get(3).location, endsWith("/c.txt"));
    for (int i = 0; i < sources.size(); i++) {
      assertThat(sources.get(i).phase, equalTo(i));
    }
  }

  @Test
  public void globDoesNotMatchDirectories() throws Exception {
    assertThat(new File(dir, "sub.yaml").mkdir(), equalTo(true));
    List<ProfileSource> sources = ResolveSources.resolve(dir.getAbsolutePath() + "/*.yaml");
    assertThat(sources, hasSize(2));
    for (ProfileSource s : sources) {
      assertThat(s.location, not(containsString("sub.yaml")));
    }
  }

  @Test
  public void fileUriIsAccepted() throws Exception {
    List<ProfileSource> sources = ResolveSources.resolve(new File(dir, "a.yaml").toURI().toString());
    assertThat(sources, hasSize(1));
    assertThat(sources.get(0).location, endsWith("/profiles/a.yaml"));
  }

  @Test
  public void globWithoutMatchIsAClearError() {
    ProfileReadException e =
        assertThrows(
            ProfileReadException.class, () -> ResolveSources.resolve(dir.getAbsolutePath() + "/*.json"));
    assertThat(e.getMessage(), anyOf(containsString("no file matches"), containsString("no such file")));
    assertThat(e.getMessage(), containsString("*.json"));
  }

  @Test
  public void missingFileIsAClearError() {
    ProfileReadException e =
        assertThrows(ProfileReadException.class, () -> ResolveSources.resolve(path("nope.yaml")));
    assertThat(e.getMessage(), anyOf(containsString("no file matches"), containsString("no such file")));
    assertThat(e.getMessage(), containsString("nope.yaml"));
  }

  @Test
  public void oneMissingEntryFailsTheWholeList() {
    ProfileReadException e =
        assertThrows(
            ProfileReadException.class,
            () -> ResolveSources.resolve(path("a.yaml") + "," + path("nope.yaml")));
    assertThat(e.getMessage(), containsString("nope.yaml"));
  }

  @Test
  public void unknownSchemeIsRejected() {
    ProfileReadException e =
        assertThrows(ProfileReadException.class, () -> ResolveSources.resolve("ftp://host/x"));
    assertThat(e.getMessage(), containsString("unsupported scheme"));
    assertThat(e.getMessage(), containsString("ftp"));
  }

  @Test
  public void unknownSchemeErrorDoesNotEchoCredentials() {
    ProfileReadException e =
        assertThrows(
            ProfileReadException.class,
            () -> ResolveSources.resolve("ftp://user:PASSWORD@host/x.yaml?token=SECRET"));
    assertThat(e.getMessage(), containsString("unsupported scheme"));
    assertThat(e.getMessage(), not(containsString("PASSWORD")));
    assertThat(e.getMessage(), not(containsString("SECRET")));
    assertThat(e.getMessage(), containsString("ftp://host/x.yaml"));
  }

  @Test
  public void emptyProfileIsRejected() {
    for (String empty : new String[] {null, "", "   ", ",", " , ,"}) {
      ProfileReadException e =
          assertThrows(ProfileReadException.class, () -> ResolveSources.resolve(empty));
      assertThat(e.getMessage(), containsString("--profile"));
    }
  }

  @Test
  public void httpUrlsPassThroughUnchanged() throws Exception {
    String signed = "https://storage.example.com/bucket/p.yaml?X-Sig=abc%2Fdef&Expires=1700000000";
    String plain = "http://127.0.0.1:1/p*.yaml";
    List<ProfileSource> sources = ResolveSources.resolve(signed + "," + plain);
    assertThat(sources, hasSize(2));
    assertThat(sources.get(0).location, equalTo(signed));
    assertThat(sources.get(0).phase, equalTo(0));
    // Not a glob: URLs are never matched against anything.
    assertThat(sources.get(1).location, equalTo(plain));
    assertThat(sources.get(1).phase, equalTo(1));
  }

  @Test
  public void urlWithoutHostIsRejectedWithoutEchoingItsQuery() {
    ProfileReadException e =
        assertThrows(ProfileReadException.class, () -> ResolveSources.resolve("http:///p.yaml?sig=SECRET"));
    assertThat(e.getMessage(), containsString("not a valid URL"));
    assertThat(e.getMessage(), not(containsString("SECRET")));
  }

  @Test
  public void aCommaInsideASignedUrlGivesAHintAndNeverEchoesTheRest() {
    try {
      ResolveSources.resolve("https://acct.example/p.yaml?sp=r&spr=https,http&sig=S3CR3T");
      org.junit.Assert.fail("expected an error");
    } catch (ProfileReadException e) {
      org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("%2C"));
      org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("S3CR3T")));
    }
  }
}
