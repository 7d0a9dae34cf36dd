//! What to run on a rented machine: the `create_instance` body, built as JSON and checked
//! (the `onstart` limit, the environment as Docker flags) into the generated type.

use serde_json::{Map, Value, json};

use super::CREATE;
use crate::jobs::{JobError, body};
use crate::types::CreateInstanceBody;

/// The longest `onstart` script the API takes, in characters (the spec's `info.description`).
///
/// ```
/// use vast_api::jobs::{LaunchSpec, ONSTART_LIMIT};
///
/// assert!(LaunchSpec::new("img").onstart("x".repeat(ONSTART_LIMIT)).to_body().is_ok());
/// ```
pub const ONSTART_LIMIT: usize = 4048;

/// What to run on a rented machine: the body of `create_instance`.
///
/// ```
/// use vast_api::jobs::LaunchSpec;
///
/// let spec = LaunchSpec::new("pytorch/pytorch:latest")
///     .disk_gb(40.0)
///     .env("HF_HOME", "/workspace/hf")
///     .port(8000)
///     .onstart("pip install vllm && vllm serve Qwen/Qwen2-0.5B &")
///     .label("my-job");
/// let body = spec.to_json()?;
/// assert_eq!(body["env"], "-e HF_HOME=/workspace/hf -p 8000:8000");
/// assert_eq!(body["disk"], 40.0);
/// # Ok::<(), vast_api::jobs::JobError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LaunchSpec {
    image: String,
    env: Vec<(String, String)>,
    ports: Vec<u16>,
    fields: Map<String, Value>,
}

impl LaunchSpec {
    /// Runs this Docker image, with the API's defaults for everything else (an SSH
    /// instance, the API's default disk size).
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("vastai/base-image");
    /// assert_eq!(spec.to_json()?["image"], "vastai/base-image");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn new(image: impl Into<String>) -> Self {
        Self {
            image: image.into(),
            env: Vec::new(),
            ports: Vec::new(),
            fields: Map::new(),
        }
    }

    /// The size of the instance's disk in GB; it cannot be changed later.
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").disk_gb(32.0);
    /// assert_eq!(spec.to_json()?["disk"], 32.0);
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn disk_gb(self, gb: f64) -> Self {
        self.field("disk", json!(gb))
    }

    /// An environment variable of the container. The API takes variables as Docker flags
    /// (`-e KEY=value`); a value with spaces is quoted. A key that is empty or has spaces or
    /// `=`, or a value with a double quote, fails the launch with
    /// [`JobError::InvalidRequest`].
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").env("GREETING", "hello world");
    /// assert_eq!(spec.to_json()?["env"], "-e GREETING=\"hello world\"");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Exposes a container port (`-p port:port`).
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").port(8080);
    /// assert_eq!(spec.to_json()?["env"], "-p 8080:8080");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.ports.push(port);
        self
    }

    /// A shell script run when the instance starts; at most [`ONSTART_LIMIT`] characters
    /// (gzip and base64 a longer one, and unpack it in a short one).
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").onstart("nvidia-smi > /root/gpu.txt");
    /// assert_eq!(spec.to_json()?["onstart"], "nvidia-smi > /root/gpu.txt");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn onstart(self, script: impl Into<String>) -> Self {
        self.field("onstart", Value::String(script.into()))
    }

    /// A name for the instance, shown in the console and in
    /// [`Client::instances`](crate::Client::instances).
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").label("batch-7");
    /// assert_eq!(spec.to_json()?["label"], "batch-7");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn label(self, label: impl Into<String>) -> Self {
        self.field("label", Value::String(label.into()))
    }

    /// How the instance is reached: `"ssh"` (the API's default), `"jupyter"`, `"args"` (run
    /// the image's entrypoint with [`args`](Self::args)), or a `_direct`/`_proxy` variant.
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").runtype("ssh_direct");
    /// assert_eq!(spec.to_json()?["runtype"], "ssh_direct");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn runtype(self, runtype: impl Into<String>) -> Self {
        self.field("runtype", Value::String(runtype.into()))
    }

    /// Arguments for the image's entrypoint (with the `"args"` runtype).
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").runtype("args").args(["--port", "8000"]);
    /// assert_eq!(spec.to_json()?["args"], serde_json::json!(["--port", "8000"]));
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn args<S: Into<String>>(self, args: impl IntoIterator<Item = S>) -> Self {
        let args: Vec<String> = args.into_iter().map(Into::into).collect();
        self.field("args", json!(args))
    }

    /// The bid per machine in $/hour, for an interruptible (bid) offer.
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").bid_price(0.25);
    /// assert_eq!(spec.to_json()?["price"], 0.25);
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn bid_price(self, dollars_per_hour: f64) -> Self {
        self.field("price", json!(dollars_per_hour))
    }

    /// Starts from a template (its hash id); the other settings override its values.
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").template("4e17788f74f075dd9aab7d0d4427968f");
    /// assert_eq!(spec.to_json()?["template_hash_id"], "4e17788f74f075dd9aab7d0d4427968f");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn template(self, hash_id: impl Into<String>) -> Self {
        self.field("template_hash_id", Value::String(hash_id.into()))
    }

    /// Fail the create instead of queueing it when the machine cannot start the instance
    /// at once.
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").cancel_unavailable(true);
    /// assert_eq!(spec.to_json()?["cancel_unavail"], true);
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn cancel_unavailable(self, cancel: bool) -> Self {
        self.field("cancel_unavail", json!(cancel))
    }

    /// Sets any other field of the create body, such as `image_login` or `jupyter_dir`;
    /// one the spec does not have fails the launch with [`JobError::InvalidRequest`].
    ///
    /// ```
    /// let spec = vast_api::jobs::LaunchSpec::new("img").field("use_jupyter_lab", true.into());
    /// assert_eq!(spec.to_json()?["use_jupyter_lab"], true);
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn field(mut self, name: &str, value: Value) -> Self {
        self.fields.insert(name.to_owned(), value);
        self
    }

    /// The JSON body [`Client::launch`](crate::Client::launch) sends, after the checks it makes.
    ///
    /// ```
    /// let too_long = "x".repeat(5000);
    /// assert!(vast_api::jobs::LaunchSpec::new("img").onstart(too_long).to_json().is_err());
    /// ```
    pub fn to_json(&self) -> Result<Value, JobError> {
        serde_json::to_value(self.to_body()?).map_err(|e| invalid(e.to_string()))
    }

    /// The body as the generated `CreateInstanceBody`.
    ///
    /// ```
    /// let body = vast_api::jobs::LaunchSpec::new("img").to_body()?;
    /// assert_eq!(body.image, "img");
    /// # Ok::<(), vast_api::jobs::JobError>(())
    /// ```
    pub fn to_body(&self) -> Result<CreateInstanceBody, JobError> {
        let mut json = self.fields.clone();
        json.insert("image".into(), Value::String(self.image.clone()));
        if let Some(script) = json.get("onstart").and_then(Value::as_str) {
            let length = script.chars().count();
            if length > ONSTART_LIMIT {
                return Err(invalid(format!(
                    "`onstart` is {length} characters, the API takes at most {ONSTART_LIMIT}: \
                     gzip and base64 the script and unpack it in a short one"
                )));
            }
        }
        if let Some(env) = self.docker_flags()? {
            json.insert("env".into(), Value::String(env));
        }
        body::typed(CREATE, json)
    }

    /// The environment and ports as the Docker flags the API's `env` takes, after any given
    /// through `field("env", …)`; `None` if there are no typed ones.
    fn docker_flags(&self) -> Result<Option<String>, JobError> {
        let mut flags = Vec::new();
        for (key, value) in &self.env {
            if key.is_empty() || key.contains(char::is_whitespace) || key.contains('=') {
                return Err(invalid(format!(
                    "environment variable name {key:?} is empty or has spaces or `=`"
                )));
            }
            if value.contains('"') {
                return Err(invalid(format!(
                    "the value of environment variable {key} has a double quote, which the \
                     API's Docker-flag format cannot carry"
                )));
            }
            if value.is_empty() || value.contains(char::is_whitespace) {
                flags.push(format!("-e {key}=\"{value}\""));
            } else {
                flags.push(format!("-e {key}={value}"));
            }
        }
        flags.extend(self.ports.iter().map(|port| format!("-p {port}:{port}")));
        if flags.is_empty() {
            // `env` as given through `field`, if at all, is already in the body.
            return Ok(None);
        }
        // Flags set through `field("env", …)` come first, then the typed ones.
        let given = self.fields.get("env").and_then(Value::as_str);
        Ok(Some(
            given
                .into_iter()
                .map(str::to_owned)
                .chain(flags)
                .collect::<Vec<_>>()
                .join(" "),
        ))
    }
}

fn invalid(detail: String) -> JobError {
    JobError::InvalidRequest {
        operation: CREATE,
        detail,
    }
}
