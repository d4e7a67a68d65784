package law.courtdocs.sms;

/**
 * The delivery portals whose links {@link SmsParser} recognises, one per link shape in
 * shared/portals.md. {@link #id()} is the short name used in logs and tests.
 */
public enum SmsPortal {
    /** 人民法院在线服务, {@code zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=&sdbh=&sdsin=}. */
    ZXFW("zxfw"),
    /** 广东法院电子送达, {@code sd.gdems.com/v3/dzsd/<code>}. */
    GDEMS("gdems"),
    /** 简易送达, {@code jysd.10102368.com/sd?key=<token>}. */
    JYSD("jysd"),
    /** daolv account mode (Hubei dzsd.hbfy.gov.cn, Jiangxi sfsd.jxfy.gov.cn), path {@code /sfsddz…}. */
    DAOLV("daolv"),
    /** daolv Hubei public SMS mode, {@code dzsd.hbfy.gov.cn/hb/msg=<code>}. */
    HUBEI_SMS("hubei-sms"),
    /** 四川成都 / Guangxi instance, path {@code /sfsdw//r/<token>} (double slash). */
    SFDW("sfdw");

    private final String id;

    SmsPortal(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
