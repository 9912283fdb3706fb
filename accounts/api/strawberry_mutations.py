"""The accounts app's mutations on strawberry: sessions, profile, privacy settings, follows."""

from typing import Any

import strawberry
from strawberry.types import Info

from accounts import selectors, services, sessions
from accounts.api.strawberry_types import (
    AccountTypeEnum,
    FollowStatusEnum,
    GenderEnum,
    InteractionAudienceEnum,
    LikedVideosVisibilityEnum,
    MeType,
    UserType,
)
from accounts.models import AccountType
from backend.graphql.strawberry_base import (
    MutationInput,
    input_field,
    mutation_field,
    payload_type,
    viewer_of,
)


def _value(member: Any) -> Any:
    return None if member is None else member.value


@strawberry.input(description="Input of `signUp`.")
class SignUpInput(MutationInput):
    username: str = input_field("username")
    password: str = input_field("password")
    email: str = input_field("email")
    account_type: AccountTypeEnum | None = input_field("accountType", default=None)
    country: str | None = input_field("country", default=None)


@strawberry.input(description="Input of `logIn`.")
class LogInInput(MutationInput):
    username: str = input_field("username")
    password: str = input_field("password")


@strawberry.input(description="Input of `logOut`.")
class LogOutInput(MutationInput):
    pass


@strawberry.input(description="Input of `updateProfile`; omitted fields stay as they are.")
class UpdateProfileInput(MutationInput):
    display_name: str | None = input_field("displayName", default=None)
    bio: str | None = input_field("bio", default=None)
    country: str | None = input_field("country", default=None)
    birth_year: int | None = input_field("birthYear", default=None)
    gender: GenderEnum | None = input_field("gender", default=None)


@strawberry.input(description="Input of `updatePrivacySettings`; omitted fields stay as they are.")
class UpdatePrivacySettingsInput(MutationInput):
    is_private: bool | None = input_field("isPrivate", default=None)
    liked_videos_visibility: LikedVideosVisibilityEnum | None = input_field("likedVideosVisibility", default=None)
    default_allow_download: bool | None = input_field("defaultAllowDownload", default=None)
    default_allow_comments: InteractionAudienceEnum | None = input_field("defaultAllowComments", default=None)
    default_allow_duet: InteractionAudienceEnum | None = input_field("defaultAllowDuet", default=None)
    default_allow_stitch: InteractionAudienceEnum | None = input_field("defaultAllowStitch", default=None)


@strawberry.input(description="Input naming one user.")
class UsernameInput(MutationInput):
    username: str = input_field("username")


@strawberry.input(description="Input of `follow`.")
class FollowInput(UsernameInput):
    pass


@strawberry.input(description="Input of `unfollow`.")
class UnfollowInput(UsernameInput):
    pass


@strawberry.input(description="Input of `approveFollowRequest`.")
class ApproveFollowRequestInput(UsernameInput):
    pass


@strawberry.input(description="Input of `declineFollowRequest`.")
class DeclineFollowRequestInput(UsernameInput):
    pass


SignUpPayload = payload_type("SignUpPayload", user=("user", MeType))
LogInPayload = payload_type("LogInPayload", user=("user", MeType))
LogOutPayload = payload_type("LogOutPayload", ok=("ok", bool))
UpdateProfilePayload = payload_type("UpdateProfilePayload", me=("me", MeType))
UpdatePrivacySettingsPayload = payload_type("UpdatePrivacySettingsPayload", me=("me", MeType))
FollowPayload = payload_type("FollowPayload", user=("user", UserType), status=("status", FollowStatusEnum))
UnfollowPayload = payload_type("UnfollowPayload", user=("user", UserType), removed=("removed", bool))
ApproveFollowRequestPayload = payload_type("ApproveFollowRequestPayload", user=("user", UserType))
DeclineFollowRequestPayload = payload_type("DeclineFollowRequestPayload", user=("user", UserType))


@strawberry.type
class AccountsMutation:
    @mutation_field("signUp")
    def sign_up(self, info: Info, input: SignUpInput) -> SignUpPayload | None:
        user = services.user_sign_up(
            username=input.username,
            password=input.password,
            email=input.email,
            account_type=_value(input.account_type) or AccountType.PERSONAL,
            country=input.country or "",
        )
        sessions.session_start(request=info.context.request, user=user)
        return SignUpPayload(client_mutation_id=input.client_mutation_id, user=user)

    @mutation_field("logIn")
    def log_in(self, info: Info, input: LogInInput) -> LogInPayload | None:
        user = sessions.session_log_in(request=info.context.request, username=input.username, password=input.password)
        return LogInPayload(client_mutation_id=input.client_mutation_id, user=user)

    @mutation_field("logOut")
    def log_out(self, info: Info, input: LogOutInput) -> LogOutPayload | None:
        sessions.session_log_out(request=info.context.request)
        return LogOutPayload(client_mutation_id=input.client_mutation_id, ok=True)

    @mutation_field("updateProfile")
    def update_profile(self, info: Info, input: UpdateProfileInput) -> UpdateProfilePayload | None:
        me = services.user_update_profile(
            actor=viewer_of(info),
            display_name=input.display_name,
            bio=input.bio,
            country=input.country,
            birth_year=input.birth_year,
            gender=_value(input.gender),
        )
        return UpdateProfilePayload(client_mutation_id=input.client_mutation_id, me=me)

    @mutation_field("updatePrivacySettings")
    def update_privacy_settings(
        self, info: Info, input: UpdatePrivacySettingsInput
    ) -> UpdatePrivacySettingsPayload | None:
        me = services.user_update_privacy_settings(
            actor=viewer_of(info),
            is_private=input.is_private,
            liked_videos_visibility=_value(input.liked_videos_visibility),
            default_allow_download=input.default_allow_download,
            default_allow_comments=_value(input.default_allow_comments),
            default_allow_duet=_value(input.default_allow_duet),
            default_allow_stitch=_value(input.default_allow_stitch),
        )
        return UpdatePrivacySettingsPayload(client_mutation_id=input.client_mutation_id, me=me)

    @mutation_field("follow")
    def follow(self, info: Info, input: FollowInput) -> FollowPayload | None:
        edge = services.follow(actor=viewer_of(info), username=input.username)
        return FollowPayload(client_mutation_id=input.client_mutation_id, user=edge.followee, status=edge.status)

    @mutation_field("unfollow")
    def unfollow(self, info: Info, input: UnfollowInput) -> UnfollowPayload | None:
        viewer = viewer_of(info)
        removed = services.unfollow(actor=viewer, username=input.username)
        user = selectors.user_get_by_username(viewer=viewer, username=input.username)
        return UnfollowPayload(client_mutation_id=input.client_mutation_id, user=user, removed=removed)

    @mutation_field("approveFollowRequest")
    def approve_follow_request(
        self, info: Info, input: ApproveFollowRequestInput
    ) -> ApproveFollowRequestPayload | None:
        edge = services.follow_request_approve(actor=viewer_of(info), username=input.username)
        return ApproveFollowRequestPayload(client_mutation_id=input.client_mutation_id, user=edge.follower)

    @mutation_field("declineFollowRequest")
    def decline_follow_request(
        self, info: Info, input: DeclineFollowRequestInput
    ) -> DeclineFollowRequestPayload | None:
        viewer = viewer_of(info)
        services.follow_request_decline(actor=viewer, username=input.username)
        user = selectors.user_get_by_username(viewer=viewer, username=input.username)
        return DeclineFollowRequestPayload(client_mutation_id=input.client_mutation_id, user=user)
