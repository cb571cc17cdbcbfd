/*
 * formation export kubernetes and formation export compose: a release as
 * the objects of an existing engine (formation(1), EXPORT TO AN ENGINE).
 *
 * A struct kube_export says what to write: the release, the app's name,
 * the image, and the count of each type. kube_check() validates every
 * name before anything is made; kube_objects() then makes the Kubernetes
 * objects, one YAML document each, and compose_file() the compose file.
 * Every string that goes into the YAML is written by yaml_str(), which
 * double-quotes it; a value that is not UTF-8 cannot be YAML and is an
 * error naming it.
 */
#ifndef KUBE_H
#define KUBE_H

#include <stddef.h>

#include "common/strbuf.h"

struct release;

/* The longest name of an object that is also a label or a host name. */
#define KUBE_NAME_MAX	63

/* The one-off, when one is asked for (--oneoff or --run). */
struct kube_oneoff {
	const char	 *command;	/* the shell command it runs */
	int		  number;	/* PS=run.N, and the pod's name */
	int		  tty;		/* -t: stdin and a tty */
	int		  port;		/* --run of a type: PORT is set */
};

struct kube_export {
	const struct release	*rel;
	const char		*app;		/* an RFC 1035 label */
	const char		*image;
	const char		*ns;		/* NULL: none given */
	int			 secret;	/* a Secret, not a ConfigMap */
	int			 history;	/* revisionHistoryLimit */
	int			 port;		/* PORT of every process */
	const int		*counts;	/* one per type of rel */
	const struct kube_oneoff *oneoff;	/* NULL: the formation */
};

/* One object: the name of its file ("app-web.yaml") and its YAML. */
struct kube_object {
	char		*file;
	struct strbuf	 yaml;
	int		  listed;	/* in kustomization.yaml */
};

struct kube_objects {
	struct kube_object	*v;
	size_t			 n, alloc;
};

/* s double-quoted as a YAML scalar; -1 (nothing added) when s is not
 * UTF-8. */
int	yaml_str(struct strbuf *, const char *);
/* Is s an RFC 1123 label: [a-z0-9-], at most 63 bytes, starting and
 * ending with a letter or a digit? */
int	kube_label_ok(const char *);
/* An app name from a directory: its base name lowercased, every run of
 * other characters than [a-z0-9] made one '-', '-' trimmed from both
 * ends; "" when nothing is left. Allocated. */
char	*kube_app_name(const char *);
/* The shell command a container runs for command: "exec COMMAND" when
 * it is one simple command, else COMMAND as it is. */
void	kube_shell_command(struct strbuf *, const char *);
/* s with every "$" that Kubernetes would expand or eat ("$(" and "$$")
 * doubled. */
void	kube_escape_dollars(struct strbuf *, const char *);
/* The environment the objects hold: the release's final environment
 * without the variables of the exporting machine (PATH, HOME, ... as
 * inherited: the image has its own), then FORMATION_RELEASE and
 * FORMATION_CODE. env initialised. */
struct env;
void	kube_env(const struct release *, struct env *);
/* Every name the export makes valid, and every value YAML; -1 with *err
 * (allocated) naming the first that is not. */
int	kube_check(const struct kube_export *, char **);
/* The objects, in the order they are applied. kube_check() first. */
void	kube_objects(const struct kube_export *, struct kube_objects *);
void	kube_objects_release(struct kube_objects *);
/* kustomization.yaml: the objects listed. */
void	kube_kustomization(const struct kube_export *,
	    const struct kube_objects *, struct strbuf *);
/* The compose file; -1 with *err (allocated) naming a value that cannot
 * be written. */
int	compose_file(const struct kube_export *, struct strbuf *, char **);
/* Does the type's ready check have a Kubernetes probe (tcp, http,
 * delay; not notify)? */
struct type_settings;
int	kube_has_probe(const struct type_settings *);
/* The name of the one-off's pod: APP-vN-run-NNNNN. Allocated. */
char	*kube_oneoff_name(const struct kube_export *);

#endif
