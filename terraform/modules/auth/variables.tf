variable "name_prefix" {
  type        = string
  description = "Start of the user pool and app client names."
}

variable "app_title" {
  type        = string
  description = "Product name used in the invitation e-mail subject."
  default     = "Image studio"
}

variable "web_url" {
  type        = string
  description = "URL of the SPA, quoted in the invitation e-mail so new users know where to sign in."
}

variable "password_minimum_length" {
  type        = number
  description = "Minimum password length (Cognito allows 6 to 99). Upper case, lower case, a number and a symbol are always required."
  default     = 8

  validation {
    condition     = var.password_minimum_length >= 8 && var.password_minimum_length <= 99
    error_message = "password_minimum_length must be between 8 and 99."
  }
}

variable "temporary_password_validity_days" {
  type        = number
  description = "Days an administrator-issued temporary password stays valid (Cognito allows 0 to 365)."
  default     = 7

  validation {
    condition     = var.temporary_password_validity_days >= 1 && var.temporary_password_validity_days <= 365
    error_message = "temporary_password_validity_days must be between 1 and 365."
  }
}

variable "initial_user_email" {
  type        = string
  description = "E-mail of a first user to create; Cognito mails them a temporary password. null creates no user (add users with aws cognito-idp admin-create-user)."
  default     = null

  validation {
    condition     = var.initial_user_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.initial_user_email))
    error_message = "initial_user_email must be null or an e-mail address."
  }
}

variable "enable_deletion_protection" {
  type        = bool
  description = "Refuse to delete the user pool (terraform destroy fails until it is turned off). false keeps dev destroys clean."
  default     = false
}

variable "mfa" {
  type        = string
  description = "Multi-factor sign-in with a TOTP authenticator app: OFF, OPTIONAL (users may add one) or ON (every user must set one up at first sign-in)."
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.mfa)
    error_message = "mfa must be \"OFF\", \"OPTIONAL\" or \"ON\"."
  }
}

variable "threat_protection" {
  type        = string
  description = "Cognito threat protection (adaptive authentication, compromised-credential detection): OFF, AUDIT (log risks only) or ENFORCED (block or challenge risky sign-ins). Anything but OFF moves the pool to the Plus feature plan, billed per monthly active user."
  default     = "OFF"

  validation {
    condition     = contains(["OFF", "AUDIT", "ENFORCED"], var.threat_protection)
    error_message = "threat_protection must be \"OFF\", \"AUDIT\" or \"ENFORCED\"."
  }
}

variable "refresh_token_validity_days" {
  type        = number
  description = "Days a refresh token keeps a browser signed in without the password (Cognito allows 1 to 3650). ID and access tokens last 60 minutes."
  default     = 30

  validation {
    condition     = var.refresh_token_validity_days >= 1 && var.refresh_token_validity_days <= 3650 && floor(var.refresh_token_validity_days) == var.refresh_token_validity_days
    error_message = "refresh_token_validity_days must be a whole number from 1 to 3650."
  }
}
