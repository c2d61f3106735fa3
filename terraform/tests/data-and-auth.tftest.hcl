# The database and auth modules with a mocked AWS provider. Run from terraform/: terraform test

mock_provider "aws" {
  override_during = plan
}

run "records_table" {
  command = plan

  module {
    source = "./modules/database"
  }

  variables {
    name = "imagegen-dev-records"
  }

  assert {
    condition = (
      aws_dynamodb_table.this.hash_key == "id"
      && aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
      && aws_dynamodb_table.this.point_in_time_recovery[0].enabled
      && one(aws_dynamodb_table.this.ttl).attribute_name == "expiresAt"
    )
    error_message = "The table is keyed by id, on demand, with PITR and TTL on expiresAt."
  }

  assert {
    condition = anytrue([
      for index in aws_dynamodb_table.this.global_secondary_index :
      index.name == "byUser" && index.hash_key == "userId" && index.range_key == "createdAt" && index.projection_type == "ALL"
    ])
    error_message = "The byUser index (userId, createdAt, ALL) must exist."
  }
}

run "user_pool" {
  command = plan

  module {
    source = "./modules/auth"
  }

  variables {
    name_prefix = "imagegen-dev"
    web_url     = "https://main.d1example.amplifyapp.com"
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.admin_create_user_config[0].allow_admin_create_user_only
      && aws_cognito_user_pool.this.username_attributes == toset(["email"])
      && aws_cognito_user_pool.this.password_policy[0].minimum_length == 8
      && aws_cognito_user_pool.this.password_policy[0].require_symbols
      && aws_cognito_user_pool.this.password_policy[0].temporary_password_validity_days == 7
    )
    error_message = "Only administrators create users; users sign in with e-mail under the password policy."
  }

  assert {
    condition = (
      !aws_cognito_user_pool_client.spa.generate_secret
      && aws_cognito_user_pool_client.spa.prevent_user_existence_errors == "ENABLED"
      && aws_cognito_user_pool_client.spa.explicit_auth_flows == toset(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    )
    error_message = "The SPA client has no secret, hides user existence, and allows SRP and refresh only: no plain-password flow."
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.mfa_configuration == "OFF"
      && length(aws_cognito_user_pool.this.software_token_mfa_configuration) == 0
      && length(aws_cognito_user_pool.this.user_pool_add_ons) == 0
      && aws_cognito_user_pool_client.spa.refresh_token_validity == 30
      && aws_cognito_user_pool_client.spa.token_validity_units[0].refresh_token == "days"
    )
    error_message = "Defaults: no MFA, no threat protection, refresh tokens valid 30 days."
  }

  assert {
    condition     = length(aws_cognito_user.initial) == 0 && aws_cognito_user_pool.this.deletion_protection == "INACTIVE"
    error_message = "No user without initial_user_email, and destroy must be able to delete the pool."
  }
}

run "user_pool_with_first_user" {
  command = plan

  module {
    source = "./modules/auth"
  }

  variables {
    name_prefix        = "imagegen-dev"
    web_url            = "https://main.d1example.amplifyapp.com"
    initial_user_email = "admin@example.com"
  }

  assert {
    condition     = aws_cognito_user.initial[0].username == "admin@example.com" && aws_cognito_user.initial[0].attributes["email_verified"] == "true"
    error_message = "initial_user_email must create a verified user with that e-mail."
  }
}

run "user_pool_hardened" {
  command = plan

  module {
    source = "./modules/auth"
  }

  variables {
    name_prefix                 = "imagegen-prod"
    web_url                     = "https://main.d1example.amplifyapp.com"
    mfa                         = "ON"
    threat_protection           = "ENFORCED"
    refresh_token_validity_days = 1
  }

  assert {
    condition = (
      aws_cognito_user_pool.this.mfa_configuration == "ON"
      && aws_cognito_user_pool.this.software_token_mfa_configuration[0].enabled
      && aws_cognito_user_pool.this.user_pool_add_ons[0].advanced_security_mode == "ENFORCED"
      && aws_cognito_user_pool.this.user_pool_tier == "PLUS"
      && aws_cognito_user_pool_client.spa.refresh_token_validity == 1
    )
    error_message = "mfa = ON must require TOTP, threat_protection = ENFORCED must enforce it on the Plus plan, and the refresh lifetime must follow the variable."
  }
}

run "rejects_sms_mfa_and_unknown_threat_mode" {
  command = plan

  module {
    source = "./modules/auth"
  }

  variables {
    name_prefix       = "imagegen-dev"
    web_url           = "https://main.d1example.amplifyapp.com"
    mfa               = "SMS"
    threat_protection = "FULL"
  }

  expect_failures = [var.mfa, var.threat_protection]
}

run "rejects_refresh_lifetime_beyond_ten_years" {
  command = plan

  module {
    source = "./modules/auth"
  }

  variables {
    name_prefix                 = "imagegen-dev"
    web_url                     = "https://main.d1example.amplifyapp.com"
    refresh_token_validity_days = 3651
  }

  expect_failures = [var.refresh_token_validity_days]
}
