import type { ScrubRule } from '../scrub-rule.js'
import { adminAddonWithoutPrimaryRule } from './admin-addon-without-primary-rule.js'
import { adminHierarchyRule } from './admin-hierarchy-rule.js'
import { adminInitialUniqueRule } from './admin-initial-unique-rule.js'
import { adminSequenceRule } from './admin-sequence-rule.js'
import { authMissingRule } from './auth-missing-rule.js'
import { authOutOfScopeRule } from './auth-out-of-scope-rule.js'
import { cCodeOnProfessionalRule } from './c-code-on-professional-rule.js'
import { drugUnitsVsNdcRule } from './drug-units-vs-ndc-rule.js'
import { jcodeValidOnDosRule } from './jcode-valid-on-dos-rule.js'
import { jwJzModifierRule } from './jw-jz-modifier-rule.js'
import { mueUnitsExceededRule } from './mue-units-exceeded-rule.js'
import { ndcFormatRule } from './ndc-format-rule.js'
import { ndcHcpcsMismatchRule } from './ndc-hcpcs-mismatch-rule.js'
import { ndcRequiredRule } from './ndc-required-rule.js'
import { nocWhenSpecificExistsRule } from './noc-when-specific-exists-rule.js'
import { posFacilityAdminRule } from './pos-facility-admin-rule.js'
import { proFacilityDuplicateRule } from './pro-facility-duplicate-rule.js'

/** Every scrub rule, in the order findings are reported (as the README lists them). */
export const SCRUB_RULES: readonly ScrubRule[] = [
  jcodeValidOnDosRule,
  cCodeOnProfessionalRule,
  nocWhenSpecificExistsRule,
  ndcFormatRule,
  ndcRequiredRule,
  ndcHcpcsMismatchRule,
  drugUnitsVsNdcRule,
  jwJzModifierRule,
  adminInitialUniqueRule,
  adminAddonWithoutPrimaryRule,
  mueUnitsExceededRule,
  adminHierarchyRule,
  adminSequenceRule,
  authMissingRule,
  authOutOfScopeRule,
  posFacilityAdminRule,
  proFacilityDuplicateRule,
]
