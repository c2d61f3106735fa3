variable "name_prefix" {
  type        = string
  description = "Start of the bucket name; S3 appends a unique suffix, so the name never collides with another account's bucket."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,28}$", var.name_prefix))
    error_message = "name_prefix must be 2-29 lowercase letters, digits or dashes, starting with a letter or digit (the bucket adds \"-images-\" and a 26-character suffix)."
  }
}

variable "cors_allowed_origins" {
  type        = list(string)
  description = "Browser origins (scheme://host[:port], no path) allowed to upload with pre-signed POSTs and read images: the SPA origin."

  validation {
    condition     = length(var.cors_allowed_origins) > 0 && alltrue([for origin in var.cors_allowed_origins : can(regex("^https?://[^/*]+$", origin))])
    error_message = "cors_allowed_origins needs at least one origin like https://main.d123.amplifyapp.com (no path, no trailing slash, no wildcard)."
  }
}

variable "cors_allowed_methods" {
  type        = list(string)
  description = "HTTP methods browsers may use on the bucket from the allowed origins: GET (read a pre-signed image URL) and POST (pre-signed upload form)."
  default     = ["GET", "POST"]

  validation {
    condition     = length(var.cors_allowed_methods) > 0 && alltrue([for method in var.cors_allowed_methods : contains(["GET", "HEAD", "POST", "PUT", "DELETE"], method)])
    error_message = "cors_allowed_methods must be S3 CORS methods: GET, HEAD, POST, PUT or DELETE."
  }
}

variable "cors_allowed_headers" {
  type        = list(string)
  description = "Request headers a browser may send cross-origin beyond the CORS-safelisted ones. Neither browser flow sends any."
  default     = []
}

variable "cors_expose_headers" {
  type        = list(string)
  description = "Response headers scripts may read cross-origin beyond the CORS-safelisted ones. The SPA reads none."
  default     = []
}

variable "cors_max_age_seconds" {
  type        = number
  description = "How long browsers may cache a CORS preflight answer."
  default     = 3000
}

variable "generated_image_expiration_days" {
  type        = number
  description = "Days after which images under generated/ (the public generate routes) are deleted. null keeps them forever."
  default     = 30

  validation {
    condition     = var.generated_image_expiration_days == null || try(var.generated_image_expiration_days >= 1, false)
    error_message = "generated_image_expiration_days must be null or at least 1."
  }
}

variable "user_image_expiration_days" {
  type        = number
  description = "Days after which everything under users/ (uploads, edits and signed-in generations) is deleted. null keeps them until the user deletes them."
  default     = null

  validation {
    condition     = var.user_image_expiration_days == null || try(var.user_image_expiration_days >= 1, false)
    error_message = "user_image_expiration_days must be null or at least 1."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Let terraform destroy delete the bucket even when it still holds images. true keeps destroy clean for dev; set false for data you must keep."
  default     = true
}
