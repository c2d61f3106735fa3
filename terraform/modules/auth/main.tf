# Users are created by an administrator only; they sign in with their e-mail address.
resource "aws_cognito_user_pool" "this" {
  name                     = "${var.name_prefix}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = var.mfa
  deletion_protection      = var.enable_deletion_protection ? "ACTIVE" : "INACTIVE"
  # Threat protection (adaptive authentication, compromised-credential checks) needs the Plus tier.
  user_pool_tier = var.threat_protection == "OFF" ? null : "PLUS"

  # TOTP authenticator apps only: SMS MFA would need an SNS role and costs per message.
  dynamic "software_token_mfa_configuration" {
    for_each = var.mfa == "OFF" ? [] : [1]

    content {
      enabled = true
    }
  }

  dynamic "user_pool_add_ons" {
    for_each = var.threat_protection == "OFF" ? [] : [1]

    content {
      advanced_security_mode = var.threat_protection
    }
  }

  admin_create_user_config {
    allow_admin_create_user_only = true

    invite_message_template {
      email_subject = "Your ${var.app_title} account"
      email_message = "Sign in at ${var.web_url} with the e-mail address {username} and the temporary password {####}. You will choose your own password on first sign-in."
      sms_message   = "Your ${var.app_title} username is {username} and temporary password is {####}."
    }
  }

  password_policy {
    minimum_length                   = var.password_minimum_length
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = var.temporary_password_validity_days
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  username_configuration {
    case_sensitive = false
  }

  # The provider wants constraints on a String attribute (hashicorp/terraform-provider-aws#14353);
  # these repeat Cognito's own values for email, so later plans show no diff.
  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 0
      max_length = 2048
    }
  }
}

# A public client for the SPA: a browser cannot keep a secret. Sign-in uses SRP, so the password
# never leaves the browser; the plain-password flow (USER_PASSWORD_AUTH) is not allowed.
resource "aws_cognito_user_pool_client" "spa" {
  name                          = "${var.name_prefix}-spa"
  user_pool_id                  = aws_cognito_user_pool.this.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  access_token_validity         = 60
  id_token_validity             = 60
  refresh_token_validity        = var.refresh_token_validity_days

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

resource "aws_cognito_user" "initial" {
  count = var.initial_user_email == null ? 0 : 1

  user_pool_id             = aws_cognito_user_pool.this.id
  username                 = var.initial_user_email
  desired_delivery_mediums = ["EMAIL"]

  attributes = {
    email          = var.initial_user_email
    email_verified = "true"
  }
}
