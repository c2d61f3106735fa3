variable "name" {
  type        = string
  description = "Name of the Amplify Hosting app."
}

variable "branch_name" {
  type        = string
  description = "Amplify branch that serves the SPA; the site lives at https://<branch_name>.<app default domain>."
  default     = "main"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,40}$", var.branch_name))
    error_message = "branch_name must be lowercase letters, digits or dashes (it becomes a DNS label)."
  }
}

variable "security_headers" {
  type        = map(string)
  description = "Response headers for every file of the site, name => value (Content-Security-Policy, Strict-Transport-Security, ...). Empty sends none."
  default     = {}
}
