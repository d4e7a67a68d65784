package law.courtdocs.sms;

import java.util.List;
import java.util.stream.Collectors;
import law.courtdocs.portal.PortalCredentials;

/**
 * What {@link SmsParser} found in one court SMS. Lists are immutable and never null; absent
 * single values are {@code null}.
 *
 * @param links            every delivery link of a supported portal, in order of appearance, without duplicates
 * @param caseNumbers      case numbers such as （2026）粤0106民初1234号, normalised to full-width （） and ASCII
 *                         digits, in order of appearance, without duplicates
 * @param court            the court named in a 【…】 signature at the start or end of the message
 * @param verificationCode the code after 验证码 (4–6 letters/digits)
 * @param account          a daolv account after 账号 (15–20 digits)
 * @param password         a default password after 默认密码 / 初始密码 / 登录密码 / 密码：
 * @param filingNotice     the text mentions 立案 and carries no delivery link
 */
public record ParsedSms(
        List<Link> links,
        List<String> caseNumbers,
        String court,
        String verificationCode,
        String account,
        String password,
        boolean filingNotice) {

    /** One delivery link and the portal it belongs to. */
    public record Link(String url, SmsPortal portal) {
        @Override
        public String toString() {
            // The link itself is a bearer token for the documents: never print it whole.
            return "Link[" + portal.id() + "]";
        }
    }

    public ParsedSms {
        links = links == null ? List.of() : List.copyOf(links);
        caseNumbers = caseNumbers == null ? List.of() : List.copyOf(caseNumbers);
    }

    static ParsedSms empty() {
        return new ParsedSms(List.of(), List.of(), null, null, null, null, false);
    }

    /** The links' URLs alone, in order. */
    public List<String> urls() {
        return links.stream().map(Link::url).toList();
    }

    /** The portals of the links, in the same order as {@link #links()}. */
    public List<SmsPortal> portals() {
        return links.stream().map(Link::portal).toList();
    }

    /** Code, account and password as portal credentials; no phone numbers (an SMS does not carry them). */
    public PortalCredentials credentials() {
        return new PortalCredentials(List.of(), verificationCode, account, password);
    }

    /** Hides links, code, account and password, like {@link PortalCredentials#toString()}. */
    @Override
    public String toString() {
        return "ParsedSms[links=" + links.stream().map(l -> l.portal().id()).collect(Collectors.joining(",", "[", "]"))
                + ", caseNumbers=" + caseNumbers + ", court=" + court
                + ", code=" + (verificationCode == null ? "no" : "yes")
                + ", account=" + (account == null ? "no" : "yes")
                + ", password=" + (password == null ? "no" : "yes")
                + ", filingNotice=" + filingNotice + "]";
    }
}
