"""Seed 001's Nexios blog API, served on Aldabra.

Run it with ``scripts/serve nexios`` (SQLite in memory, http://127.0.0.1:8000) or
``DATABASE_URL=postgres://... .venv/bin/uvicorn examples.nexios_app:app``.

The endpoints are the seed's, with its ORM code as written; three framework calls follow
Nexios's actual API instead of the seed's: ``await request.json`` (a property in Nexios),
``request.path_params["user_id"]`` (a dict; Nexios also passes path parameters to the
handler as arguments, so handlers of such routes take them) and
``response.json(..., status_code=201)``.  The ORM is set up by
``tortoise.contrib.nexios.init_tortoise(app, config=...)``, or, with
``NEXIOS_TORTOISE=nexios-contrib``, by the third-party ``nexios_contrib.tortoise`` the seed
imports.  The seed's handlers assume an authenticated ``request.state.user``; here the
``X-User-Id`` header names it.
"""
import os

from nexios import NexiosApp

from examples.blog_models import Comment, Post, Tag, User

# Get database URL from environment (the seed's production set-up)
DATABASE_URL = os.getenv("DATABASE_URL", "sqlite://:memory:")
TORTOISE_ORM = {
    "connections": {"default": DATABASE_URL},
    "apps": {"models": {"models": ["examples.blog_models"], "default_connection": "default"}},
}

app = NexiosApp(title="My API with Database", version="1.0.0")

if os.getenv("NEXIOS_TORTOISE") == "nexios-contrib":
    from nexios_contrib.tortoise import init_tortoise

    init_tortoise(app, db_url=DATABASE_URL, modules={"models": ["examples.blog_models"]}, generate_schemas=True)
else:
    from tortoise.contrib.nexios import init_tortoise

    init_tortoise(app, config=TORTOISE_ORM, generate_schemas=True)


async def authenticate(request, response, call_next):
    """Stands in for the authentication the seed assumes: ``X-User-Id`` → request.state.user."""
    user_id = request.headers.get("x-user-id")
    if user_id:
        request.state.user = await User.get(id=int(user_id))
    return await call_next()


app.add_middleware(authenticate)

# --- seed 001: API endpoints ------------------------------------------------------------------
from pydantic import BaseModel, EmailStr

class UserCreateSchema(BaseModel):
    username: str
    email: EmailStr
    password: str
    full_name: str | None = None

@app.post("/users")
async def create_user(request, response):
    """Create a new user."""
    data = await request.json

    # Validate with Pydantic
    user_data = UserCreateSchema(**data)

    try:
        # Hash password before storing
        from passlib.hash import bcrypt
        password_hash = bcrypt.hash(user_data.password)

        # Create user
        user = await User.create(
            username=user_data.username,
            email=user_data.email,
            password_hash=password_hash,
            full_name=user_data.full_name
        )

        return response.json({
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "created_at": user.created_at.isoformat()
        }, status_code=201)

    except Exception as e:
        # Tortoise IntegrityError automatically handled by nexios-contrib
        # Returns 400 with proper error message for duplicate username/email
        raise

@app.get("/users")
async def list_users(request, response):
    """List all users with pagination."""
    # Get query parameters
    limit = int(request.query_params.get("limit", "10"))
    offset = int(request.query_params.get("offset", "0"))
    search = request.query_params.get("search", "")

    # Build query
    query = User.filter(is_active=True)

    if search:
        query = query.filter(
            username__icontains=search
        ) | query.filter(
            email__icontains=search
        )

    # Get total count
    total = await query.count()

    # Get paginated results
    users = await query.offset(offset).limit(limit).all()

    return response.json({
        "users": [
            {
                "id": user.id,
                "username": user.username,
                "email": user.email,
                "full_name": user.full_name
            }
            for user in users
        ],
        "pagination": {
            "total": total,
            "limit": limit,
            "offset": offset,
            "has_next": offset + limit < total
        }
    })

@app.get("/users/{user_id:int}")
async def get_user(request, response, user_id):
    """Get a single user by ID."""
    user_id = request.path_params["user_id"]

    try:
        # Fetch user with related posts
        user = await User.get(id=user_id).prefetch_related("posts")

        return response.json({
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "full_name": user.full_name,
            "post_count": len(user.posts),
            "created_at": user.created_at.isoformat()
        })

    except User.DoesNotExist:
        # Automatically returns 404 with proper error message
        raise

@app.put("/users/{user_id:int}")
async def update_user(request, response, user_id):
    """Update user information."""
    user_id = request.path_params["user_id"]
    data = await request.json

    try:
        user = await User.get(id=user_id)

        # Update fields
        if "full_name" in data:
            user.full_name = data["full_name"]
        if "email" in data:
            user.email = data["email"]

        await user.save()

        return response.json({
            "id": user.id,
            "username": user.username,
            "email": user.email,
            "full_name": user.full_name,
            "updated_at": user.updated_at.isoformat()
        })

    except User.DoesNotExist:
        raise

@app.delete("/users/{user_id:int}")
async def delete_user(request, response, user_id):
    """Soft delete a user."""
    user_id = request.path_params["user_id"]

    try:
        user = await User.get(id=user_id)

        # Soft delete by marking inactive
        user.is_active = False
        await user.save()

        return response.json({
            "message": "User deactivated successfully"
        })

    except User.DoesNotExist:
        raise

# --- seed 001: working with relationships -----------------------------------------------------
@app.get("/posts/{post_id:int}")
async def get_post_with_relations(request, response, post_id):
    """Get post with author, comments, and tags."""
    post_id = request.path_params["post_id"]

    try:
        # Prefetch all related data in one query
        post = await Post.get(id=post_id).prefetch_related(
            "author",
            "comments__author",  # Nested prefetch
            "tags"
        )

        return response.json({
            "id": post.id,
            "title": post.title,
            "content": post.content,
            "author": {
                "id": post.author.id,
                "username": post.author.username
            },
            "comments": [
                {
                    "id": comment.id,
                    "content": comment.content,
                    "author": {
                        "id": comment.author.id,
                        "username": comment.author.username
                    }
                }
                for comment in post.comments
            ],
            "tags": [
                {"id": tag.id, "name": tag.name}
                for tag in post.tags
            ]
        })

    except Post.DoesNotExist:
        raise

@app.post("/posts/{post_id:int}/comments")
async def create_comment(request, response, post_id):
    """Add a comment to a post."""
    post_id = request.path_params["post_id"]
    data = await request.json

    # Assume we have authenticated user
    user_id = request.state.user.id

    try:
        post = await Post.get(id=post_id)

        comment = await Comment.create(
            content=data["content"],
            post=post,
            author_id=user_id
        )

        # Fetch author for response
        await comment.fetch_related("author")

        return response.json({
            "id": comment.id,
            "content": comment.content,
            "author": {
                "id": comment.author.id,
                "username": comment.author.username
            },
            "created_at": comment.created_at.isoformat()
        }, status_code=201)

    except Post.DoesNotExist:
        raise

@app.post("/posts/{post_id:int}/tags")
async def add_tags_to_post(request, response, post_id):
    """Add tags to a post."""
    post_id = request.path_params["post_id"]
    data = await request.json
    tag_names = data.get("tags", [])

    try:
        post = await Post.get(id=post_id)

        # Get or create tags
        tags = []
        for tag_name in tag_names:
            tag, created = await Tag.get_or_create(
                name=tag_name,
                defaults={"slug": tag_name.lower().replace(" ", "-")}
            )
            tags.append(tag)

        # Add tags to post
        await post.tags.add(*tags)

        # Fetch updated tags
        await post.fetch_related("tags")

        return response.json({
            "post_id": post.id,
            "tags": [
                {"id": tag.id, "name": tag.name}
                for tag in post.tags
            ]
        })

    except Post.DoesNotExist:
        raise

# --- seed 001: advanced queries ---------------------------------------------------------------
from tortoise.expressions import Q
from datetime import datetime, timedelta

@app.get("/posts/search")
async def search_posts(request, response):
    """Advanced post search with multiple filters."""
    # Get query parameters
    keyword = request.query_params.get("q", "")
    author_id = request.query_params.get("author_id")
    published_only = request.query_params.get("published", "true") == "true"
    days_ago = int(request.query_params.get("days", "30"))

    # Build complex query
    query = Post.all()

    # Keyword search in title or content
    if keyword:
        query = query.filter(
            Q(title__icontains=keyword) | Q(content__icontains=keyword)
        )

    # Filter by author
    if author_id:
        query = query.filter(author_id=author_id)

    # Published posts only
    if published_only:
        query = query.filter(published=True)

    # Recent posts
    cutoff_date = datetime.now() - timedelta(days=days_ago)
    query = query.filter(created_at__gte=cutoff_date)

    # Order by relevance and date
    query = query.order_by("-view_count", "-created_at")

    # Execute with prefetch
    posts = await query.prefetch_related("author", "tags").limit(20)

    return response.json({
        "posts": [
            {
                "id": post.id,
                "title": post.title,
                "excerpt": post.excerpt,
                "author": post.author.username,
                "tags": [tag.name for tag in post.tags],
                "view_count": post.view_count,
                "created_at": post.created_at.isoformat()
            }
            for post in posts
        ]
    })

from tortoise.functions import Count, Avg, Sum

@app.get("/stats")
async def get_statistics(request, response):
    """Get database statistics."""

    # Count queries
    total_users = await User.filter(is_active=True).count()
    total_posts = await Post.filter(published=True).count()

    # Aggregation queries
    user_stats = await User.annotate(
        post_count=Count("posts")
    ).filter(is_active=True).values(
        "id", "username", "post_count"
    )

    # Top authors by post count
    top_authors = sorted(
        user_stats,
        key=lambda x: x["post_count"],
        reverse=True
    )[:5]

    # Average views per post
    avg_views = await Post.filter(published=True).annotate(
        avg_views=Avg("view_count")
    ).values("avg_views")

    return response.json({
        "total_users": total_users,
        "total_posts": total_posts,
        "top_authors": top_authors,
        "average_views": avg_views[0]["avg_views"] if avg_views else 0
    })

# --- seed 001: transactions -------------------------------------------------------------------
from tortoise.transactions import in_transaction

@app.post("/posts/{post_id:int}/publish")
async def publish_post(request, response, post_id):
    """Publish a post with transaction."""
    post_id = request.path_params["post_id"]

    try:
        async with in_transaction():
            # Get post
            post = await Post.get(id=post_id)

            # Update post
            post.published = True
            post.published_at = datetime.now()
            await post.save()

            # Update author stats
            author = await post.author
            author.published_posts_count = await Post.filter(
                author=author,
                published=True
            ).count()
            await author.save()

            # If any operation fails, entire transaction rolls back

        return response.json({
            "message": "Post published successfully",
            "post_id": post.id
        })

    except Post.DoesNotExist:
        raise

@app.post("/transfer")
async def complex_operation(request, response):
    """Complex operation with nested transactions."""
    data = await request.json

    async with in_transaction() as connection:
        # Outer transaction
        user = await User.get(id=data["user_id"])

        async with in_transaction(connection):
            # Inner transaction (savepoint)
            # Create post
            post = await Post.create(
                title=data["title"],
                content=data["content"],
                author=user
            )

            # Add tags
            for tag_name in data.get("tags", []):
                tag, _ = await Tag.get_or_create(name=tag_name)
                await post.tags.add(tag)

        # Update user stats
        user.total_posts += 1
        await user.save()

    return response.json({"post_id": post.id})
# --- end of seed 001 --------------------------------------------------------------------------


@app.post("/posts")
async def create_post(request, response):
    """Not in the seed (whose /transfer needs fields its models lack): a post by the current user."""
    data = await request.json
    post = await Post.create(author=request.state.user, **data)
    return response.json({"id": post.id, "slug": post.slug, "published": post.published}, status_code=201)
