package org.openprefect.appliance.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves every setting from its sources in upstream's order: environment, {@code .env},
 * {@code prefect.toml}, {@code pyproject.toml}, the active profile, then defaults (some computed
 * from other settings). With {@code --profile} the chosen profile outranks the environment, as upstream.
 */
public final class SettingsLoader {
    public static final String DEFAULT_PROFILE = "ephemeral";
    private static final List<String> PASSWORD_PLACEHOLDERS =
            List.of("${PREFECT_API_DATABASE_PASSWORD}", "${PREFECT_SERVER_DATABASE_PASSWORD}");

    private final SettingsCatalog catalog = SettingsCatalog.get();
    private final SettingsEnvironment environment;
    private final Map<String, String> dotenv = new HashMap<>();
    private final TomlSettingsFile prefectToml;
    private final TomlSettingsFile pyprojectToml;

    public SettingsLoader(SettingsEnvironment environment) {
        this.environment = environment;
        DotEnvFile.read(environment.workingDirectory().resolve(".env"))
                .forEach((k, v) -> dotenv.put(k.toUpperCase(Locale.ROOT), v));
        this.prefectToml = TomlSettingsFile.prefectToml(environment.workingDirectory().resolve("prefect.toml"));
        this.pyprojectToml = TomlSettingsFile.pyprojectToml(environment.workingDirectory().resolve("pyproject.toml"));
    }

    public SettingsEnvironment environment() {
        return environment;
    }

    /** {@code PREFECT_HOME}: never from a profile, since the profiles file lives under it. */
    public Path home() {
        JsonNode raw = rawOutsideProfiles(catalog.byPath("home"));
        return expandHome(raw == null ? "~/.prefect" : raw.asText());
    }

    public Path profilesPath() {
        JsonNode raw = rawOutsideProfiles(catalog.byPath("profiles_path"));
        if (raw == null) {
            return home().resolve("profiles.toml");
        }
        String text = raw.asText().replace("${PREFECT_HOME}", home().toString()).replace("$PREFECT_HOME", home().toString());
        return expandHome(text);
    }

    /** The user's profiles file alone (what {@code profile ls} shows and what commands rewrite). */
    public ProfilesFile userProfiles() {
        return ProfilesFile.read(profilesPath());
    }

    /** The user's profiles laid over the shipped ones, as upstream loads them. */
    public ProfilesFile allProfiles() {
        return userProfiles().over(ProfilesFile.shippedDefaults());
    }

    /** Selection order: --profile, then PREFECT_PROFILE, then the file's {@code active}, then ephemeral. */
    public String activeProfileName(ProfilesFile profiles) {
        if (environment.profileOverride() != null) {
            return environment.profileOverride();
        }
        String fromEnv = environment.get("PREFECT_PROFILE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return profiles.active() != null ? profiles.active() : DEFAULT_PROFILE;
    }

    public Settings load() {
        List<String> warnings = new ArrayList<>();
        ProfilesFile profiles;
        try {
            profiles = allProfiles();
        } catch (SettingsException e) {
            warnings.add(e.getMessage() + " The profiles file is ignored.");
            profiles = ProfilesFile.shippedDefaults();
        }
        String profileName = activeProfileName(profiles);
        Profile profile = profiles.get(profileName);
        if (profile == null) {
            if (environment.profileOverride() != null || environment.get("PREFECT_PROFILE") != null) {
                throw new SettingsException("Unknown profile '" + profileName + "'.");
            }
            warnings.add("Active profile '" + profileName + "' does not exist; using '" + DEFAULT_PROFILE + "'.");
            profileName = DEFAULT_PROFILE;
            profile = profiles.get(DEFAULT_PROFILE);
        }
        Map<SettingDefinition, Named> fromProfile = profileValues(profile, warnings);

        Map<String, ResolvedSetting> resolved = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (SettingDefinition d : catalog.all()) {
            try {
                resolved.put(d.path(), resolve(d, fromProfile.get(d)));
            } catch (InvalidSettingException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(String.join("\n", problems));
        }
        applyComputedDefaults(resolved);
        return new Settings(profileName, resolved, warnings);
    }

    /** A value and the name its source held it under. */
    private record Named(String name, String value) {
    }

    /** Profile keys may be legacy aliases; the first alias in the setting's list wins, as upstream. */
    private Map<SettingDefinition, Named> profileValues(Profile profile, List<String> warnings) {
        Map<SettingDefinition, Named> values = new HashMap<>();
        Map<SettingDefinition, Integer> rank = new HashMap<>();
        profile.settings().forEach((key, value) -> {
            Optional<SettingDefinition> d = catalog.byName(key);
            if (d.isEmpty()) {
                warnings.add("Unknown setting '" + key + "' in profile '" + profile.name() + "' is ignored.");
                return;
            }
            int r = d.get().envNames().indexOf(key.toUpperCase(Locale.ROOT));
            if (!rank.containsKey(d.get()) || r < rank.get(d.get())) {
                rank.put(d.get(), r);
                values.put(d.get(), new Named(key, value));
            }
        });
        return values;
    }

    private ResolvedSetting resolve(SettingDefinition d, Named profileValue) {
        boolean profileFirst = environment.profileOverride() != null;
        if (profileFirst && profileValue != null) {
            return parsed(d, TextNode.valueOf(profileValue.value()), SettingSource.PROFILE, profileValue.name());
        }
        Named env = firstAlias(d, environment.env());
        if (env != null) {
            return parsed(d, TextNode.valueOf(env.value()), SettingSource.ENV, env.name());
        }
        Named fromDotenv = firstAlias(d, dotenv);
        if (fromDotenv != null) {
            return parsed(d, TextNode.valueOf(fromDotenv.value()), SettingSource.DOTENV, fromDotenv.name());
        }
        JsonNode toml = prefectToml.get(d.path());
        if (toml != null) {
            return parsed(d, toml, SettingSource.PREFECT_TOML, d.name());
        }
        JsonNode pyproject = pyprojectToml.get(d.path());
        if (pyproject != null) {
            return parsed(d, pyproject, SettingSource.PYPROJECT_TOML, d.name());
        }
        if (profileValue != null) {
            return parsed(d, TextNode.valueOf(profileValue.value()), SettingSource.PROFILE, profileValue.name());
        }
        JsonNode value = d.defaultValue() == null ? NullNode.getInstance() : d.defaultValue();
        return new ResolvedSetting(d, value, SettingSource.DEFAULTS, PythonText.of(d, value));
    }

    private ResolvedSetting parsed(SettingDefinition d, JsonNode raw, SettingSource source, String name) {
        JsonNode value = ValueParser.parse(d, raw);
        if ("path".equals(d.schema().path("format").asText()) && value.isTextual()) {
            value = TextNode.valueOf(expandHome(value.asText()).toString());
        }
        return new ResolvedSetting(d, value, source, raw.isTextual() ? raw.asText() : PythonText.of(raw), name);
    }

    private JsonNode rawOutsideProfiles(SettingDefinition d) {
        Named env = firstAlias(d, environment.env());
        if (env != null) {
            return TextNode.valueOf(env.value());
        }
        Named fromDotenv = firstAlias(d, dotenv);
        if (fromDotenv != null) {
            return TextNode.valueOf(fromDotenv.value());
        }
        JsonNode toml = prefectToml.get(d.path());
        return toml != null ? toml : pyprojectToml.get(d.path());
    }

    /** The first of the setting's names (canonical, then aliases) that the source sets, with its value. */
    private static Named firstAlias(SettingDefinition d, Map<String, String> upperCaseKeys) {
        for (String name : d.envNames()) {
            String v = upperCaseKeys.get(name.toUpperCase(Locale.ROOT));
            if (v != null) {
                return new Named(name, v);
            }
        }
        return null;
    }

    private void applyComputedDefaults(Map<String, ResolvedSetting> resolved) {
        Path home = home();
        computed(resolved, "home", home.toString());
        computed(resolved, "profiles_path", profilesPath().toString());
        computed(resolved, "server.memo_store_path", home.resolve("memo_store.toml").toString());
        computed(resolved, "logging.config_path", home.resolve("logging.yml").toString());
        computed(resolved, "results.local_storage_path", home.resolve("storage").toString());
        computed(resolved, "server.database.connection_url", defaultConnectionUrl(resolved, home));
        computedJson(resolved, "client.custom_headers", JsonNodeFactory.instance.objectNode());
        computedJson(resolved, "client.retry_extra_codes", JsonNodeFactory.instance.arrayNode());
        injectDatabasePassword(resolved);

        String apiUrl = textOf(resolved, "api.url");
        String uiApiUrl = apiUrl != null ? apiUrl : "http://" + textOf(resolved, "server.api.host") + ":"
                + textOf(resolved, "server.api.port") + Optional.ofNullable(textOf(resolved, "server.api.base_path")).orElse("/api");
        computed(resolved, "server.ui.api_url", uiApiUrl);
        if (apiUrl != null) {
            computed(resolved, "ui_url", apiUrl.replaceFirst("/api/?$", ""));
        }
    }

    private static String defaultConnectionUrl(Map<String, ResolvedSetting> resolved, Path home) {
        String driver = textOf(resolved, "server.database.driver");
        if (driver == null) {
            return "sqlite+aiosqlite:///" + home.resolve("prefect.db");
        }
        String name = textOf(resolved, "server.database.name");
        if (driver.startsWith("sqlite")) {
            return "sqlite+aiosqlite:///" + (name != null ? name : home.resolve("prefect.db"));
        }
        String host = textOf(resolved, "server.database.host");
        String user = textOf(resolved, "server.database.user");
        if (host == null || user == null || name == null) {
            throw new SettingsException("With PREFECT_SERVER_DATABASE_DRIVER=" + driver
                    + ", PREFECT_SERVER_DATABASE_HOST, PREFECT_SERVER_DATABASE_USER and PREFECT_SERVER_DATABASE_NAME must be set.");
        }
        String password = textOf(resolved, "server.database.password");
        String port = Optional.ofNullable(textOf(resolved, "server.database.port")).orElse("5432");
        String credentials = URLEncoder.encode(user, StandardCharsets.UTF_8)
                + (password == null ? "" : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8));
        return driver + "://" + credentials + "@" + host + ":" + port + "/" + name;
    }

    private static void injectDatabasePassword(Map<String, ResolvedSetting> resolved) {
        ResolvedSetting url = resolved.get("server.database.connection_url");
        String text = url.value().asText();
        if (PASSWORD_PLACEHOLDERS.stream().noneMatch(text::contains)) {
            return;
        }
        String password = textOf(resolved, "server.database.password");
        if (password == null) {
            throw new SettingsException("database password is None - please set PREFECT_SERVER_DATABASE_PASSWORD");
        }
        for (String placeholder : PASSWORD_PLACEHOLDERS) {
            text = text.replace(placeholder, password);
        }
        resolved.put(url.definition().path(), new ResolvedSetting(url.definition(), TextNode.valueOf(text), url.source(), url.rawValue(), url.name()));
    }

    private static void computed(Map<String, ResolvedSetting> resolved, String path, String value) {
        ResolvedSetting current = resolved.get(path);
        if (current.source() == SettingSource.DEFAULTS && (current.value().isNull() || "home".equals(path))) {
            resolved.put(path, new ResolvedSetting(current.definition(), TextNode.valueOf(value), SettingSource.DEFAULTS, value));
        }
    }

    private static void computedJson(Map<String, ResolvedSetting> resolved, String path, JsonNode value) {
        ResolvedSetting current = resolved.get(path);
        if (current.source() == SettingSource.DEFAULTS && current.value().isNull()) {
            resolved.put(path, new ResolvedSetting(current.definition(), value, SettingSource.DEFAULTS, PythonText.of(value)));
        }
    }

    private static String textOf(Map<String, ResolvedSetting> resolved, String path) {
        JsonNode v = resolved.get(path).value();
        return v.isNull() ? null : v.asText();
    }

    /** Expands a leading {@code ~} with $HOME, like Python's {@code Path.expanduser()}. */
    private Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            String userHome = Optional.ofNullable(environment.get("HOME")).orElse(System.getProperty("user.home"));
            return Path.of(userHome + path.substring(1));
        }
        return Path.of(path);
    }
}
