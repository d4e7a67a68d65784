package law.courtdocs.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A link the parser knows but the operator has not allowed is reported as refused and gets no
 * job; the message's other links still do.
 */
@QuarkusTest
@TestProfile(SmsRefusedLinkTest.WithoutJiangxi.class)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = false)
class SmsRefusedLinkTest {

    public static class WithoutJiangxi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("court.portals.allowed-hosts", "sd.gdems.com,dzsd.hbfy.gov.cn");
        }
    }

    @Test
    void aLinkOffTheAllowlistIsRefusedInParsedAndNotJobbed() {
        String gdems = SimulatorResource.sim().gdems().notReadyLink("尚未上传");
        String text = "【南昌市东湖区人民法院】（2026）赣0102民初5号案件文书已送达，请登录http://sfsd.jxfy.gov.cn/sfsddz，"
                + "账号：360102202611300001，默认密码：Jx8899aa；另请查看" + gdems + "。";
        given().contentType(ContentType.JSON).body(Map.of("content", text))
                .when().post("/api/v1/sms")
                .then().statusCode(201)
                .body("parsed.links.size()", equalTo(2))
                .body("parsed.links[0].portal", equalTo("daolv"))
                .body("parsed.links[0].outcome", equalTo("REFUSED"))
                .body("parsed.links[0].jobId", nullValue())
                .body("parsed.links[1].outcome", equalTo("JOB_CREATED"))
                .body("jobs.size()", equalTo(1))
                .body("jobs[0].portal", equalTo("gdems"));
    }
}
