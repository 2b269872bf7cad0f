#ifndef BRIDGEJS_MANIFEST_WARM_H
#define BRIDGEJS_MANIFEST_WARM_H

/* What manifest_wants_warm answers, as bridgejs-warm --wants-warm's exit code. */
enum manifest_warm {
  MANIFEST_WARM = 0,    /* the manifest has "warm": true at its top level */
  MANIFEST_COLD = 1,    /* no manifest, no "warm" field, or "warm": false or null; or not a serving command line */
  MANIFEST_IN_DOUBT = 2 /* a command line or manifest the JVM will refuse, or one this cannot read: served cold,
                           where the bridge says what is wrong */
};

/*
 * Whether the manifest of the plugin that bridgejs's arguments ARGS serve asks for the warm runtime: the manifest
 * `--manifest FILE` names, else SCRIPT's `<name>.plugin.json` beside it, relative to the working directory, found
 * as dev.bridge.cli.PluginManifest finds it. Prints nothing.
 */
enum manifest_warm manifest_wants_warm(int argc, char **argv);

#endif
