package law.courtdocs.portal;

import java.util.List;

/**
 * What a lawyer's SMS or the submitter gave us to get past a portal's door: candidate phone
 * numbers (jysd login, sfdw phone tails), an SMS verification code, a daolv account and its
 * default password. Never logged: {@link #toString()} hides the values.
 */
public record PortalCredentials(List<String> phones, String code, String account, String password) {

    public PortalCredentials {
        phones = phones == null ? List.of() : List.copyOf(phones);
    }

    public static PortalCredentials none() {
        return new PortalCredentials(List.of(), null, null, null);
    }

    @Override
    public String toString() {
        return "PortalCredentials[phones=" + phones.size() + ", code=" + (code == null ? "no" : "yes")
                + ", account=" + (account == null ? "no" : "yes") + ", password=" + (password == null ? "no" : "yes")
                + "]";
    }
}
