package io.kreplay.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.Test;

/** What {@link ProfileSource#displayName()} shows: never the credentials a URL can carry. */
public class ProfileSourceTest {

  @Test
  public void urlUserInfoAndQueryAreNotShown() {
    String shown = new ProfileSource(0, "https://user:pw@host/p?token=abc").displayName();
    assertThat(shown, not(containsString("pw")));
    assertThat(shown, not(containsString("abc")));
    assertThat(shown, not(containsString("user")));
    assertThat(shown, not(containsString("token")));
    assertThat(shown, equalTo("https://host/p?<redacted>"));
  }

  @Test
  public void signedUrlKeepsHostPortAndPathButNotTheSignature() {
    String shown =
        new ProfileSource(0, "http://127.0.0.1:8080/profiles/a.yaml?X-Sig=SECRET&exp=1").displayName();
    assertThat(shown, equalTo("http://127.0.0.1:8080/profiles/a.yaml?<redacted>"));
  }

  @Test
  public void fragmentIsNotShown() {
    String shown = new ProfileSource(0, "https://host/p.yaml#access_token=SECRET").displayName();
    assertThat(shown, not(containsString("SECRET")));
    assertThat(shown, containsString("https://host/p.yaml"));
  }

  @Test
  public void upperCaseSchemeIsRedactedToo() {
    String shown = new ProfileSource(0, "HTTPS://user:pw@host/p?token=abc").displayName();
    assertThat(shown, not(containsString("pw")));
    assertThat(shown, not(containsString("abc")));
  }

  @Test
  public void unparseableUrlShowsNothingOfIt() {
    String shown = new ProfileSource(0, "https://host/p?token=a b|SECRET").displayName();
    assertThat(shown, not(containsString("SECRET")));
    assertThat(shown, not(containsString("token")));
  }

  @Test
  public void plainUrlIsShownAsIs() {
    assertThat(
        new ProfileSource(0, "https://host:8443/p.yaml").displayName(),
        equalTo("https://host:8443/p.yaml"));
  }

  @Test
  public void localPathsAndFilesystemUrisAreUnchanged() {
    for (String location :
        new String[] {
          "/tmp/profiles/a.yaml", "relative/b.yaml.gz", "file:///tmp/c.yaml", "gs://bucket/d.yaml", "/tmp/what?.yaml"
        }) {
      assertThat(new ProfileSource(3, location).displayName(), equalTo(location));
    }
  }

  @Test
  public void toStringNamesPhaseAndRedactedLocation() {
    String s = new ProfileSource(2, "https://u:pw@host/p?sig=SECRET").toString();
    assertThat(s, containsString("phase 2"));
    assertThat(s, not(containsString("SECRET")));
    assertThat(s, not(containsString("pw")));
  }
}
