package law.courtdocs.sim;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * Real PNG captchas (four digits on a noisy background, like the daolv ones) whose answers a
 * test can look up by the image bytes, as a person would read them off the picture. Digits are
 * drawn pixel by pixel, so no font (and no display) is needed.
 */
public final class CaptchaImages {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** 3×5 bitmaps of 0–9, rows top to bottom. */
    private static final String[][] DIGITS = {
            {"111", "101", "101", "101", "111"},
            {"010", "110", "010", "010", "111"},
            {"111", "001", "111", "100", "111"},
            {"111", "001", "111", "001", "111"},
            {"101", "101", "111", "001", "001"},
            {"111", "100", "111", "001", "111"},
            {"111", "100", "111", "101", "111"},
            {"111", "001", "010", "010", "010"},
            {"111", "101", "111", "101", "111"},
            {"111", "101", "111", "001", "111"}};

    private static final int SCALE = 5;
    private static final int WIDTH = 90;
    private static final int HEIGHT = 36;

    public record Captcha(String answer, byte[] png) {}

    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    /** A new image with a random four-digit answer. */
    public Captcha next() {
        StringBuilder answer = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            answer.append(random.nextInt(10));
        }
        byte[] png = draw(answer.toString());
        answers.put(key(png), answer.toString());
        return new Captcha(answer.toString(), png);
    }

    /** The answer to an image this instance drew; null for any other bytes. */
    public String answerFor(byte[] image) {
        return image == null ? null : answers.get(key(image));
    }

    private byte[] draw(String answer) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < WIDTH; x++) {
            for (int y = 0; y < HEIGHT; y++) {
                int shade = 225 + random.nextInt(31);
                image.setRGB(x, y, random.nextInt(12) == 0 ? rgb(140 + random.nextInt(80)) : rgb(shade));
            }
        }
        for (int i = 0; i < answer.length(); i++) {
            String[] glyph = DIGITS[answer.charAt(i) - '0'];
            int left = 6 + i * 21 + random.nextInt(3);
            int top = 4 + random.nextInt(6);
            int color = (random.nextInt(120) << 16) | (random.nextInt(120) << 8) | random.nextInt(160);
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 3; col++) {
                    if (glyph[row].charAt(col) == '1') {
                        fill(image, left + col * SCALE, top + row * SCALE, color);
                    }
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void fill(BufferedImage image, int x0, int y0, int color) {
        for (int x = x0; x < x0 + SCALE && x < WIDTH; x++) {
            for (int y = y0; y < y0 + SCALE && y < HEIGHT; y++) {
                image.setRGB(x, y, color);
            }
        }
    }

    private static int rgb(int grey) {
        return (grey << 16) | (grey << 8) | grey;
    }

    private static String key(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
