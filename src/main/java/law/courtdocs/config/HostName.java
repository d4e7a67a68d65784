package law.courtdocs.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process's host: the pod name on Kubernetes (HOSTNAME), else the machine's. */
public final class HostName {

    private HostName() {}

    public static String current() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "host-" + ProcessHandle.current().pid();
        }
    }
}
